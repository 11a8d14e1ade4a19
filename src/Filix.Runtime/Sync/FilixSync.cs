namespace Filix.Runtime.Sync;

/// <summary>
/// Sync of one open domain database with the upstream: push this machine's captured changes, pull the others'.
/// TEMPORARY SKELETON (issue 11 in progress): the engine replaces these bodies; the signatures are the contract the
/// CLI, daemon, tests and benchmarks are written against.
/// </summary>
public static class FilixSync
{
    /// <summary>Migrates the upstream's copy of the domain (the recorded Postgres migrations, then sync's bookkeeping),
    /// pushes every pending local change, then pulls everything committed upstream by other machines.</summary>
    public static Task<SyncReport> SyncAsync(FilixDatabase database, SyncOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("sync engine not built yet");

    public static Task<SyncReport> PushAsync(FilixDatabase database, SyncOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("sync engine not built yet");

    public static Task<SyncReport> PullAsync(FilixDatabase database, SyncOptions options, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("sync engine not built yet");

    /// <summary>Local state of every shared table; with <paramref name="options"/> also how far behind upstream it is.</summary>
    public static Task<SyncStatus> StatusAsync(FilixDatabase database, SyncOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("sync engine not built yet");

    /// <summary>Which machine last wrote the row of <paramref name="table"/> with key <paramref name="key"/> (stored
    /// forms, in key order), and whether that version has been pushed; null when the row was never captured.</summary>
    public static Task<RowProvenance?> ProvenanceAsync(FilixDatabase database, string table, object?[] key, CancellationToken cancellationToken = default) =>
        Local.Provenance.ReadAsync(database, table, key, cancellationToken);
}

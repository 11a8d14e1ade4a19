using Filix.Runtime.Sync.Engine;

namespace Filix.Runtime.Sync;

/// <summary>
/// Sync of one open domain database with the upstream: push this machine's captured changes, pull the others'.
/// Clocks (HLC) order edits; upstream xid8s order delivery; never a wall-clock cursor. Every batch is one transaction
/// on each side with its cursor moving inside it, so re-running any batch is a no-op. The upstream decides
/// last-write-wins in SQL. See docs/sync.md.
/// </summary>
public static class FilixSync
{
    /// <summary>Migrates the upstream's copy of the domain (the recorded Postgres migrations, then sync's bookkeeping),
    /// pushes every pending local change, then pulls everything committed upstream by other machines.</summary>
    public static Task<SyncReport> SyncAsync(FilixDatabase database, SyncOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(database, options, static async (run, cancellationToken) =>
        {
            await PushBatch.RunAsync(run, cancellationToken).ConfigureAwait(false);
            await PullWindow.RunAsync(run, cancellationToken).ConfigureAwait(false);
            if (run.Tables.Exists(t => t.Revived > 0))
            {
                // The pull kept parents alive that another machine deleted under this machine's children (see
                // Parking): push them now, so the upstream and the others converge in this run rather than the next.
                await PushBatch.RunAsync(run, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

    public static Task<SyncReport> PushAsync(FilixDatabase database, SyncOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(database, options, PushBatch.RunAsync, cancellationToken);

    public static Task<SyncReport> PullAsync(FilixDatabase database, SyncOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(database, options, PullWindow.RunAsync, cancellationToken);

    /// <summary>One run: connect and install, the steps, the report. A connection lost midway is explained: every
    /// batch is one transaction on each side with its cursor inside it, so nothing is half-applied and a retry
    /// continues where the last committed batch ended.</summary>
    private static async Task<SyncReport> RunAsync(FilixDatabase database, SyncOptions options, Func<SyncRun, CancellationToken, Task> steps, CancellationToken cancellationToken)
    {
        await using var run = await SyncRun.StartAsync(database, options, cancellationToken).ConfigureAwait(false);
        try
        {
            await steps(run, cancellationToken).ConfigureAwait(false);
        }
        catch (Npgsql.NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Rows the upstream refuses are parked, not thrown: what gets here is the connection or the server.
            throw new FilixException(
                $"Syncing '{database.Path}' (domain '{database.Schema.Domain}') with {run.Where} failed: {ex.Message}. " +
                "Nothing is half-applied (each batch commits whole, with its cursor): fix what the message names, or wait until the upstream " +
                "is reachable, and sync again; it continues after the last committed batch.",
                database.Path, ex);
        }

        return await ReportAsync(run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Local state of every shared table; with <paramref name="options"/> also how far behind upstream it is.</summary>
    public static Task<SyncStatus> StatusAsync(FilixDatabase database, SyncOptions? options = null, CancellationToken cancellationToken = default) =>
        StatusReader.ReadAsync(database, options, cancellationToken);

    /// <summary>Which machine last wrote the row of <paramref name="table"/> with key <paramref name="key"/> (stored
    /// forms, in key order), and whether that version has been pushed; null when the row was never captured.</summary>
    public static Task<RowProvenance?> ProvenanceAsync(FilixDatabase database, string table, object?[] key, CancellationToken cancellationToken = default) =>
        Local.Provenance.ReadAsync(database, table, key, cancellationToken);

    /// <summary>The report, with each table's parked count as it stands after the run (both directions).</summary>
    private static async Task<SyncReport> ReportAsync(SyncRun run, CancellationToken cancellationToken)
    {
        if (run.Schema.SyncTables.Count == 0)
        {
            return run.Report(); // a local-only domain has no sync bookkeeping at all
        }

        var parked = await run.Database.ReadAsync(static (session, _) =>
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            using var command = session.Connection.CreateCommand();
            command.CommandText = "SELECT \"tbl\", count(*) FROM \"_filix_parked\" GROUP BY \"tbl\"";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }, 0, cancellationToken).ConfigureAwait(false);
        foreach (var table in run.Tables)
        {
            table.Parked = parked.TryGetValue(table.Table.Name, out var p) ? p : 0;
        }

        return run.Report();
    }
}

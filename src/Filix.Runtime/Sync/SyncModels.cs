namespace Filix.Runtime.Sync;

/// <summary>How one database syncs with the upstream.</summary>
public sealed class SyncOptions
{
    /// <summary>The upstream's Npgsql connection string. Never logged: messages name its host, port and database only
    /// (SyncRedaction).</summary>
    public required string Upstream { get; init; }

    /// <summary>This data folder's machine id (SyncSettings, created once per data folder): written upstream as
    /// <c>synced_from</c> and the last tiebreak of last-write-wins.</summary>
    public required string MachineId { get; init; }

    /// <summary>Which <c>optional</c> tables sync here: a domain name enables all of its optional tables,
    /// <c>domain.table</c> one of them. <c>sync</c> tables always sync.</summary>
    public IReadOnlySet<string> Enabled { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Rows per batch: each batch is one transaction on each side, its cursor moving inside it.</summary>
    public int BatchSize { get; init; } = 10_000;

    /// <summary>How long upstream keeps tombstones for a machine that has not pulled: a machine away longer resyncs
    /// the table in full instead of resurrecting rows deleted meanwhile.</summary>
    public TimeSpan TombstoneRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Whether <paramref name="table"/> syncs under these options.</summary>
    public bool Syncs(SyncTable table) =>
        table.Mode == SyncMode.Sync || Enabled.Contains(table.Domain) || Enabled.Contains(table.Domain + "." + table.Name);
}

/// <summary>What one sync of a database did, per table.</summary>
public sealed record SyncReport(string Domain, IReadOnlyList<TableSyncReport> Tables)
{
    /// <summary>Set when the upstream holds migrations this build does not know: this machine syncs the columns it
    /// knows and should be upgraded.</summary>
    public string? Warning { get; init; }
}

/// <summary>Rows one sync moved for one table. <see cref="Skipped"/>: an <c>optional</c> table not enabled here.</summary>
public sealed record TableSyncReport(string Table, long Pushed, long Pulled, long Parked, bool Skipped)
{
    /// <summary>The table was resynced in full (this machine was away longer than the tombstone retention).</summary>
    public bool Resynced { get; init; }
}

/// <summary>Where one database stands (<c>filix status</c>).</summary>
public sealed record SyncStatus(string Domain, IReadOnlyList<TableSyncStatus> Tables)
{
    public string? Warning { get; init; }
}

/// <summary>One table: local changes not yet pushed, rows parked, the last push and pull, and (when the upstream
/// was reachable) how many upstream changes this machine has not pulled.</summary>
public sealed record TableSyncStatus(
    string Table,
    bool Enabled,
    long PendingLocal,
    DateTimeOffset? LastPush,
    DateTimeOffset? LastPull,
    long? BehindUpstream,
    IReadOnlyList<ParkedRow> Parked);

/// <summary>A row that could not apply, and why; retried on every sync until it applies or is superseded.</summary>
/// <param name="Table">The shared table.</param>
/// <param name="Direction"><c>push</c> (upstream refused this machine's version) or <c>pull</c> (this database refused
/// upstream's).</param>
/// <param name="Key">The row's key as JSON (<c>["doi:10.1/x"]</c>).</param>
/// <param name="Reason">Why, in words: the constraint and the row it collides with, or the missing parent.</param>
/// <param name="Since">When it was first parked.</param>
/// <param name="Attempts">How many syncs have tried it.</param>
public sealed record ParkedRow(string Table, string Key, string Direction, string Reason, DateTimeOffset Since, int Attempts);

/// <summary>Which machine last wrote a row, when (its version's clock) and whether that version is upstream.</summary>
public sealed record RowProvenance(string Table, string Key, string Machine, bool WrittenHere, DateTimeOffset WrittenAt, long Version, bool Deleted, bool Pushed);

namespace Filix.Runtime.Backups.Restore;

/// <summary>What a restore did and what it lost.</summary>
public sealed record RestoreReport
{
    /// <summary>The database that was restored.</summary>
    public required string Database { get; init; }

    /// <summary>The backup it now holds.</summary>
    public required BackupEntry Backup { get; init; }

    /// <summary>Newer backups passed over because they failed their checks, with why.</summary>
    public IReadOnlyList<(BackupEntry Backup, string Problem)> Skipped { get; init; } = [];

    /// <summary>Where the replaced files were moved (the database and its -wal and -shm, renamed, never deleted).</summary>
    public IReadOnlyList<string> KeptAside { get; init; } = [];

    /// <summary>The writes the restore undid, table by table, when the replaced file could be read.</summary>
    public LossReport Losses { get; init; } = LossReport.NothingToCompare("there was no database file to replace");
}

/// <summary>The writes committed after the backup that the restore undid.</summary>
/// <param name="Compared">Whether the replaced file could be read and compared at all.</param>
/// <param name="Note">Why it could not be compared, or which tables could not be read.</param>
/// <param name="Tables">Per table that differs (or could not be read).</param>
public sealed record LossReport(bool Compared, string Note, IReadOnlyList<TableLoss> Tables)
{
    public static LossReport NothingToCompare(string why) => new(false, why, []);

    /// <summary>Rows inserted, updated or deleted after the backup, in all tables.</summary>
    public long Total => Tables.Sum(t => t.Added + t.Changed + t.Deleted);

    /// <summary>Of <see cref="Total"/>, the changes the upstream still has (a sync brings them back).</summary>
    public long Recoverable => Tables.Sum(t => t.UpstreamHas);
}

/// <summary>One table's writes after the backup.</summary>
/// <param name="Table">The table.</param>
/// <param name="Added">Rows in the replaced file whose key the backup lacks.</param>
/// <param name="Changed">Rows with a key the backup has but other values.</param>
/// <param name="Deleted">Rows of the backup whose key the replaced file lacks (the restore brings them back).</param>
/// <param name="Shared">Whether the table syncs (a <c>sync</c> or <c>optional</c> table with change capture).</param>
/// <param name="UpstreamHas">Of the changes, how many the replaced file had pushed (or pulled): the upstream has them
/// and the next <c>filix sync</c> pulls them back.</param>
/// <param name="Error">Why the table could not be compared, when it could not.</param>
public sealed record TableLoss(string Table, long Added, long Changed, long Deleted, bool Shared, long UpstreamHas, string? Error = null)
{
    public long Total => Added + Changed + Deleted;

    /// <summary>The changes nothing can bring back: not pushed before the file was replaced.</summary>
    public long LostForGood => Total - UpstreamHas;
}

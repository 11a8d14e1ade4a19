namespace Filix.Runtime.Backups;

/// <summary>How the consistent snapshot of a backup is made.</summary>
public enum BackupMethod
{
    /// <summary>SQLite's online backup API (<c>sqlite3_backup_step</c>), page by page inside one read transaction
    /// held on the source: the default (measured faster; see docs/reliability/backups.md).</summary>
    BackupApi,

    /// <summary><c>VACUUM INTO</c>: a compacted copy, rebuilt table by table (smaller, costs more CPU).</summary>
    VacuumInto,
}

/// <summary>What a backup does besides copying.</summary>
public sealed record BackupOptions
{
    public static BackupOptions Default { get; } = new();

    public BackupMethod Method { get; init; } = BackupMethod.BackupApi;

    /// <summary>Why it is taken, recorded in the manifest: <c>manual</c>, <c>scheduled</c>, <c>migration</c>.</summary>
    public string Reason { get; init; } = "manual";

    /// <summary>Which older backups to delete once this one is verified; null keeps everything.</summary>
    public RetentionPolicy? Retention { get; init; } = RetentionPolicy.Default;

    /// <summary>The clock the backup's time and the retention use (tests pass a simulated one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Pages copied per <c>sqlite3_backup_step</c>: cancellation is checked between steps.</summary>
    public int PagesPerStep { get; init; } = 4096;

    /// <summary>A pause between steps, to leave the disk and CPU to writers on a busy machine (none by default:
    /// the source's read transaction does not block writers in WAL mode).</summary>
    public TimeSpan PauseBetweenSteps { get; init; } = TimeSpan.Zero;

    /// <summary>Whether <see cref="FilixBackup.TakeAsync"/> runs at a lower CPU priority than the writers (Linux).</summary>
    public bool Background { get; init; } = true;
}

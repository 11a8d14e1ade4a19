using System.Diagnostics;
using Filix.Runtime.Backups;

namespace Filix.Runtime.Health;

/// <summary>
/// The health checks of a database's files. <see cref="Quick"/> reads headers only and runs on every open;
/// <see cref="OnOpen"/> adds <c>PRAGMA quick_check</c> when the last close was not clean; <see cref="Full"/> runs
/// <c>integrity_check</c> and <c>foreign_key_check</c> (<c>filix check</c>, the sync daemon's schedule).
/// What each check looks at and why: docs/reliability/health.md.
/// </summary>
public static class HealthCheck
{
    /// <summary>
    /// The cheap checks, reading a few hundred bytes and taking no lock: the database header (SQLite's magic, a valid
    /// page size, a file as long as its header says), the WAL's header (magic, version, checksum, the database's page
    /// size) and, when no process has the database open, its frames; a <c>-wal</c>, <c>-shm</c> or <c>-journal</c>
    /// without its database; and whether the last close was clean (<see cref="DatabaseHealth.UncleanClose"/>).
    /// The schema being this domain's is checked by opening (the migrator), not here.
    /// </summary>
    /// <param name="path">The database file.</param>
    public static DatabaseHealth Quick(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        return OpenFiles.HealthOf(full) is { } open
            ? open.WithNote("The database is open in this process: this is the health found when it was opened (its files are not read again while SQLite holds them).")
            : FileChecks.Inspect(full);
    }

    /// <summary>What opening runs: <see cref="Quick"/>, then <c>PRAGMA quick_check</c> when the last close was not clean.</summary>
    /// <param name="path">The database file.</param>
    public static DatabaseHealth OnOpen(string path)
    {
        var health = Quick(path);
        return health.UncleanClose && health.QuickCheck is null && !health.Problems.Any(p => p.Unreadable)
            ? SqliteChecks.RunQuickCheck(health)
            : health;
    }

    /// <summary>
    /// <see cref="Quick"/>, then <c>PRAGMA integrity_check</c> (every page, index and constraint) and
    /// <c>PRAGMA foreign_key_check</c> on a read-only connection. Reads the whole file: seconds per gigabyte.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="cancellationToken">Stops the checks (SQLite is interrupted); the result then says so.</param>
    public static DatabaseHealth Full(string path, CancellationToken cancellationToken = default)
    {
        var health = Quick(path);
        return health.Problems.Any(p => p.Unreadable) || !File.Exists(health.Path)
            ? health
            : SqliteChecks.RunFull(health, cancellationToken);
    }

    /// <summary>
    /// The error a write to an unhealthy database gets (and an open of one SQLite cannot read): the file, what is
    /// wrong, when the last verified backup was taken and the exact command that restores it.
    /// </summary>
    public static FilixException Refusal(DatabaseHealth health, string what)
    {
        ArgumentNullException.ThrowIfNull(health);
        var backup = LastBackup(health.Path);
        return new FilixException($"{what} {health.Describe()} {backup}", health.Path);
    }

    /// <summary>The one place that words the last verified backup and the restore command.</summary>
    internal static string LastBackup(string path)
    {
        var latest = BackupCatalog.LatestVerified(path);
        var command = BackupCatalog.RestoreCommand(path);
        return latest is null
            ? $"No verified backup of it exists (take one with `filix backup` once it is healthy); a backup made elsewhere can be restored with `filix restore`. The damaged file is never overwritten or deleted by Filix."
            : $"The last verified backup was taken {latest.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({Age(DateTimeOffset.UtcNow - latest.TakenAt)} ago, {latest.FileName}); restore it with: {command} (the damaged file is kept aside, and the restore reports what it loses).";
    }

    private static string Age(TimeSpan age) =>
        age.TotalDays >= 2 ? $"{(int)age.TotalDays} days"
        : age.TotalHours >= 2 ? $"{(int)age.TotalHours} hours"
        : $"{Math.Max(0, (int)age.TotalMinutes)} minutes";

    internal static DatabaseHealth Timed(DatabaseHealth health, long started) =>
        health with { Elapsed = health.Elapsed + Stopwatch.GetElapsedTime(started) };
}

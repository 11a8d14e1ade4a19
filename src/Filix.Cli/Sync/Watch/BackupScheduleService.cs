using Filix.Cli.Domains;
using Filix.Runtime;
using Filix.Runtime.Backups;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Filix.Cli.Sync.Watch;

/// <summary>
/// The daemon's scheduled backups and integrity checks of every domain database in its data folder (the local-only
/// ones too: nothing else copies them off the disk). Backups are the same as <c>filix backup</c> (verified,
/// compressed, listed, pruned by retention); a check failure is logged as an error naming the file, what SQLite
/// found, the last verified backup and the restore command. One database's failure never stops the others or the
/// daemon: each job catches what it throws, and the loop logs anything unforeseen and goes on to the next tick.
/// </summary>
internal sealed class BackupScheduleService(WatchedFolder folder, BackupSchedule schedule, ILogger<BackupScheduleService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (schedule.BackupInterval is null && schedule.CheckInterval is null)
        {
            logger.LogInformation("Scheduled backups and integrity checks are off ({Backup}, {Check}).", BackupSchedule.BackupVariable, BackupSchedule.CheckVariable);
            return;
        }

        var nextCheck = DateTimeOffset.UtcNow + schedule.FirstCheckDelay;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (schedule.BackupInterval is { } interval)
                    {
                        await BackUpDueAsync(interval, stoppingToken).ConfigureAwait(false);
                    }

                    if (schedule.CheckInterval is { } every && DateTimeOffset.UtcNow >= nextCheck)
                    {
                        Check(stoppingToken);
                        nextCheck = DateTimeOffset.UtcNow + every;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Scheduled backup or check of {Folder} failed unexpectedly; retrying at the next tick.", folder.DataFolder);
                }

                await Task.Delay(schedule.Tick, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a backup in progress was cancelled between steps and left nothing behind.
        }
    }

    private IEnumerable<(string Domain, string Path)> Databases() =>
        DomainRegistry.All.Select(d => (d.Name, d.PathIn(folder.DataFolder))).Where(d => File.Exists(d.Item2));

    private async Task BackUpDueAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        foreach (var (domain, path) in Databases())
        {
            var last = BackupCatalog.LatestVerified(path);
            if (last is not null && DateTimeOffset.UtcNow - last.TakenAt < interval)
            {
                continue;
            }

            try
            {
                var entry = await FilixBackup.TakeAsync(path, new BackupOptions { Reason = "scheduled" }, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Backed up {Domain}: {File} ({Bytes} bytes, verified).", domain, entry.File, entry.Bytes);
            }
            catch (FilixException ex)
            {
                logger.LogError("Scheduled backup of {Domain} failed: {Message}", domain, ex.Message);
            }
        }
    }

    private void Check(CancellationToken cancellationToken)
    {
        foreach (var (domain, path) in Databases())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var problems = IntegrityProblems(path);
            if (problems.Count == 0)
            {
                logger.LogInformation("Integrity check of {Domain}: ok.", domain);
                continue;
            }

            var last = BackupCatalog.LatestVerified(path);
            logger.LogError(
                "Integrity check of {Path} FAILED: {Problems}. Last verified backup: {Backup}. Stop the processes using it, then run: {Restore}",
                path, string.Join("; ", problems), last is null ? "none" : $"{last.FileName} ({last.TakenAt:u})", BackupCatalog.RestoreCommand(path));
        }
    }

    /// <summary><c>integrity_check</c> and <c>foreign_key_check</c> on a read-only connection of its own (a read
    /// transaction in WAL mode: writers go on).</summary>
    internal static List<string> IntegrityProblems(string path)
    {
        var problems = new List<string>();
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check(20)";
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var line = reader.GetString(0);
                    if (line != "ok")
                    {
                        problems.Add(line);
                    }
                }
            }

            command.CommandText = "SELECT count(*) FROM pragma_foreign_key_check";
            var orphans = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (orphans > 0)
            {
                problems.Add($"{orphans} row(s) refer to rows that do not exist (PRAGMA foreign_key_check)");
            }
        }
        catch (SqliteException ex)
        {
            problems.Add("cannot be read: " + ex.Message);
        }

        return problems;
    }
}

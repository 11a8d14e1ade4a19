using Filix.Runtime.Health;

namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// The cheap checks Filix runs on every open (<see cref="HealthCheck.Quick"/>, docs/reliability/health.md): the
/// database header, the WAL's header, salts and frames, a <c>-wal</c>/<c>-shm</c>/<c>-journal</c> without its
/// database, and whether the last process that used the file closed it. It runs before any check that opens the
/// file, since an open recovers the WAL and rewrites what it would look at.
/// </summary>
internal sealed class FilesCheck : IDoctorCheck
{
    public string Name => "files";

    public Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken)
    {
        var health = HealthCheck.Quick(target.Path);
        if (!health.IsHealthy)
        {
            var fixes = health.Problems.Select(p => p.Fix).Distinct().ToList();
            if (!fixes.Any(f => f.Contains("filix restore", StringComparison.Ordinal)))
            {
                fixes.Add("If the file cannot be repaired that way, restore the last verified backup: " + target.RestoreCommand);
            }

            return Task.FromResult(new DoctorFinding(Name, DoctorStatus.Problem, string.Join(" ", health.Problems.Select(p => p.Message)), string.Join(" ", fixes)) { Damage = true });
        }

        if (health.UncleanClose && new FileInfo(target.Path + "-wal") is { Exists: true, Length: 0 })
        {
            // SQLite empties the WAL only after a checkpoint has synced every frame into the file, so an empty one holds
            // nothing to recover. A read-only connection (a backup's, a viewer's) leaves one behind whenever it closes.
            return Task.FromResult(DoctorFinding.Ok(Name, "header sound; an empty -wal is left beside it (a read-only connection, such as a backup's, leaves one): nothing to recover"));
        }

        if (health.UncleanClose)
        {
            return Task.FromResult(new DoctorFinding(Name, DoctorStatus.Warning,
                $"'{target.Path}' was not closed cleanly the last time it was used (its -wal is left while no process holds it): a process was killed or crashed. Nothing acknowledged is lost; the integrity check below tells whether the file is whole.",
                "Find why that process died (the OOM killer, a service stopped with SIGKILL, a crash in its log); stop services with SIGTERM so Filix closes the database (FilixShutdown). The next open recovers the WAL.")
            { UncleanClose = true });
        }

        return Task.FromResult(DoctorFinding.Ok(Name, health.OpenElsewhere ? "header and WAL sound; another process has it open" : "header sound; closed cleanly"));
    }
}

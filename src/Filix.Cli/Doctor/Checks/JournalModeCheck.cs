using Filix.Runtime;
using Filix.Runtime.FileSystems;

namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// Filix databases are in WAL mode (docs/concurrency.md): readers never block the writer, and a killed process loses
/// nothing acknowledged. Another mode in the file's header is not damage: a file put back from a backup copy or
/// changed by another tool, which Filix switches back to WAL when it next opens it (that needs no other process to
/// hold it open). On an unsafe file system with the single-writer override, rollback journal is what Filix chose.
/// </summary>
internal sealed class JournalModeCheck : IDoctorCheck
{
    public string Name => "journal mode";

    public Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken)
    {
        if (target.Damaged)
        {
            return Task.FromResult(DoctorFinding.Skipped(Name, "not read: the file is damaged"));
        }

        string mode;
        using (var connection = DoctorSqlite.Open(target.Path))
        {
            mode = DoctorSqlite.Text(connection, "PRAGMA journal_mode");
        }

        if (string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(DoctorFinding.Ok(Name, "wal"));
        }

        if (string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase)
            && FileSystemGuard.Mode(FilixOptions.Default, target.Path) == UnsafeFileSystemMode.ExclusiveRollbackJournal
            && !Filix.Runtime.FileSystems.MountedFileSystem.Of(target.DataFolder).IsSafeForWal)
        {
            return Task.FromResult(DoctorFinding.Ok(Name, $"delete ({FileSystemGuard.EnvironmentVariable}: one process holds it alone on this unsafe file system)"));
        }

        return Task.FromResult(new DoctorFinding(Name, DoctorStatus.Warning,
            $"'{target.Path}' is in journal_mode={mode}, not WAL (a file put back from a backup copy, or changed by another tool): Filix switches it back to WAL when it next opens it, which needs no other process to have it open.",
            $"Open it once with Filix while nothing else uses it ('filix migrate --domain {target.Domain.Name} --data {target.DataFolder}' does), or run: sqlite3 '{target.Path}' 'PRAGMA journal_mode=WAL'"));
    }
}

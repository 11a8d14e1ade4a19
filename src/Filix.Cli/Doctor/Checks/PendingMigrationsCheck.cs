using Filix.Runtime;
using Filix.Runtime.Migrations;
using Filix.Runtime.Sqlite;

namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// Migrations this build has and the file lacks (the next open applies them), and a history this build refuses (a
/// database newer than the build, an edited migration): the migrator's own dry run (a read transaction, rolled
/// back) over doctor's connection, which leaves the files as they were (<see cref="DoctorSqlite"/>).
/// </summary>
internal sealed class PendingMigrationsCheck : IDoctorCheck
{
    public string Name => "migrations";

    public Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken) => Task.FromResult(Run(target));

    private DoctorFinding Run(DoctorTarget target)
    {
        if (target.Damaged)
        {
            return DoctorFinding.Skipped(Name, "not read: the file is damaged");
        }

        MigrationReport status;
        try
        {
            using var session = new SqliteSession(DoctorSqlite.Open(target.Path));
            status = SqliteMigrator.Ensure(session, target.Domain.Schema, target.Path, dryRun: true);
        }
        catch (FilixException ex)
        {
            return new DoctorFinding(Name, DoctorStatus.Problem, ex.Message, "Do what the message says; until then Filix will not open the database.");
        }

        var latest = status.Applied.Count == 0 ? "none" : $"{status.Applied[^1].Id}_{status.Applied[^1].Name}";
        if (status.Pending.Count == 0 && status.Adopted.Count == 0)
        {
            return DoctorFinding.Ok(Name, $"up to date ({latest})");
        }

        var pending = string.Join(", ", status.Adopted.Concat(status.Pending).Select(m => m.ToString()));
        return new DoctorFinding(Name, DoctorStatus.Warning,
            $"'{target.Path}' is at {latest}; this build would apply {pending} when it next opens it.",
            $"Run 'filix migrate --domain {target.Domain.Name} --data {target.DataFolder}' at a quiet moment (a backup is taken before a migration that changes an existing database).");
    }
}

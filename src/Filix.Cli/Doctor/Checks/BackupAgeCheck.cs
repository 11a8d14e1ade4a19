using System.Globalization;
using Filix.Runtime.Backups;

namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// The age of the last verified backup (<see cref="BackupCatalog.LatestVerified"/>, docs/reliability/backups.md).
/// Seed 001's only backup was manual and stale; the sync daemon takes one every hour, so one older than a day means
/// it is not running.
/// </summary>
internal sealed class BackupAgeCheck : IDoctorCheck
{
    private static readonly TimeSpan Old = TimeSpan.FromHours(25);

    public string Name => "backup";

    public Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken)
    {
        var take = $"filix backup --domain {target.Domain.Name} --data {target.DataFolder}";
        var latest = BackupCatalog.LatestVerified(target.Path);
        if (latest is null)
        {
            return Task.FromResult(new DoctorFinding(Name, DoctorStatus.Warning,
                $"'{target.Path}' has no verified backup: if the file is damaged or lost, nothing can bring it back.",
                $"Take one now: {take}; keep 'filix sync --watch' running to take one every hour (deploy/ has its service files)."));
        }

        var age = DateTimeOffset.UtcNow - latest.TakenAt;
        var message = string.Create(CultureInfo.InvariantCulture, $"last verified backup {Age(age)} ago ({latest.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {latest.File})");
        return Task.FromResult(age <= Old
            ? DoctorFinding.Ok(Name, message)
            : new DoctorFinding(Name, DoctorStatus.Warning, $"'{target.Path}': {message}; everything written since would be lost with the file.",
                $"Take one now: {take}; the sync daemon ('filix sync --watch') takes one every hour when it runs."));
    }

    private static string Age(TimeSpan age) =>
        age.TotalDays >= 2 ? $"{(int)age.TotalDays} days"
        : age.TotalHours >= 2 ? $"{(int)age.TotalHours} hours"
        : $"{Math.Max(0, (int)age.TotalMinutes)} minutes";
}

using Filix.Cli.Doctor.Checks;

namespace Filix.Cli.Doctor;

/// <summary>
/// Every check, in the order they run on each database: the ones that read only the folder and file headers first
/// (an open recovers a WAL and would change what they look at), then the ones that open the file, and those that
/// need a readable file (they skip a damaged one) last.
/// </summary>
internal static class DoctorChecks
{
    public static IReadOnlyList<IDoctorCheck> All { get; } =
    [
        new FileSystemCheck(),
        new FilesCheck(),
        new IntegrityCheck(),
        new JournalModeCheck(),
        new WalSizeCheck(),
        new DiskSpaceCheck(),
        new BackupAgeCheck(),
        new PendingMigrationsCheck(),
        new SyncLagCheck(),
    ];
}

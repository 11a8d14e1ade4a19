using Filix.Cli.Doctor.Checks;

namespace Filix.Cli.Doctor;

/// <summary>
/// Every check, in the order they run on each database: the ones that read only file headers and the folder first,
/// then the ones that open the file, and those that need a readable file (they skip a damaged one) last.
/// </summary>
internal static class DoctorChecks
{
    public static IReadOnlyList<IDoctorCheck> All { get; } =
    [
        new IntegrityCheck(),
        new JournalModeCheck(),
        new WalSizeCheck(),
        new DiskSpaceCheck(),
        new PendingMigrationsCheck(),
        new SyncLagCheck(),
    ];
}

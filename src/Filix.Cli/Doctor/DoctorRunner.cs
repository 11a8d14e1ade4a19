using Filix.Cli.Domains;

namespace Filix.Cli.Doctor;

/// <summary>Runs every check on every domain database of a data folder, one database after another.</summary>
internal static class DoctorRunner
{
    public static async Task<DoctorReport> RunAsync(string dataFolder, DoctorOptions options, IReadOnlyList<IDoctorCheck> checks, CancellationToken cancellationToken)
    {
        var databases = new List<DatabaseDoctorReport>();
        foreach (var domain in DomainRegistry.All)
        {
            var target = new DoctorTarget(domain, dataFolder, options);
            if (!File.Exists(target.Path))
            {
                databases.Add(new DatabaseDoctorReport(domain.Name, target.Path, Present: false, []));
                continue;
            }

            foreach (var check in checks)
            {
                target.Add(await RunOneAsync(check, target, cancellationToken).ConfigureAwait(false));
            }

            databases.Add(new DatabaseDoctorReport(domain.Name, target.Path, Present: true, [.. target.Findings.Select(DoctorFindingReport.From)]));
        }

        return new DoctorReport(dataFolder, databases);
    }

    private static async Task<DoctorFinding> RunOneAsync(IDoctorCheck check, DoctorTarget target, CancellationToken cancellationToken)
    {
        try
        {
            return await check.RunAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A check that cannot run is itself a finding: the database could not be read the way Filix reads it.
            return new DoctorFinding(check.Name, DoctorStatus.Problem,
                $"The {check.Name} check of '{target.Path}' failed: {ex.Message.ReplaceLineEndings(" ")}",
                "Check that this user may read and write the file and its folder; if the message names damage, restore it: " + target.RestoreCommand);
        }
    }
}

using System.Text.Json;

namespace Filix.Cli.Doctor;

/// <summary>Prints the doctor's report: a line per check for people (problems and warnings with their fix), or JSON.</summary>
internal static class DoctorWriter
{
    public static void WriteJson(TextWriter output, DoctorReport report) => output.WriteLine(JsonSerializer.Serialize(report, DoctorJson.Default.DoctorReport));

    public static void WriteText(TextWriter output, DoctorReport report)
    {
        output.WriteLine($"Filix doctor: {report.DataFolder}");
        foreach (var database in report.Databases)
        {
            output.WriteLine();
            if (!database.Present)
            {
                output.WriteLine($"{database.Domain}: {database.Path} does not exist yet (the first open creates it)");
                continue;
            }

            output.WriteLine($"{database.Domain}: {database.Path}");
            foreach (var finding in database.Findings)
            {
                output.WriteLine($"  {Label(finding.Status),-8} {finding.Check,-14} {finding.Message}");
                if (finding.Fix is not null)
                {
                    output.WriteLine($"  {string.Empty,-8} {"fix:",-14} {finding.Fix}");
                }
            }
        }

        output.WriteLine();
        var present = report.Databases.Count(d => d.Present);
        output.WriteLine(
            present == 0 ? $"No Filix database in {report.DataFolder}: point --data at the folder 'filix run' (or your program) writes."
            : report.Healthy ? $"Healthy: {present} database{(present == 1 ? string.Empty : "s")} checked, no problems{(report.Warnings > 0 ? $", {report.Warnings} warning{(report.Warnings == 1 ? string.Empty : "s")} (see above)" : string.Empty)}."
            : $"Unhealthy: {report.Problems} problem{(report.Problems == 1 ? string.Empty : "s")} in {string.Join(", ", report.Databases.Where(d => d.Findings.Any(f => f.Status == "problem")).Select(d => d.Domain))}; each has its fix above.");
    }

    private static string Label(string status) => status switch
    {
        "problem" => "PROBLEM",
        "warning" => "warning",
        "skipped" => "skipped",
        _ => "ok",
    };
}

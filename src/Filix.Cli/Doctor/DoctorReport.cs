using System.Text.Json.Serialization;

namespace Filix.Cli.Doctor;

/// <summary>The <c>--json</c> document of <c>filix doctor</c>.</summary>
/// <param name="DataFolder">The folder checked.</param>
/// <param name="Databases">Every domain, present or not, in the registry's order.</param>
internal sealed record DoctorReport(string DataFolder, IReadOnlyList<DatabaseDoctorReport> Databases)
{
    /// <summary>True when no check found a problem (warnings allowed) and at least one database is present.</summary>
    public bool Healthy => Databases.Any(d => d.Present) && Problems == 0;

    /// <summary>Problems over every database; the exit code is 1 when any.</summary>
    public int Problems => Databases.Sum(d => d.Findings.Count(f => f.Status == "problem"));

    public int Warnings => Databases.Sum(d => d.Findings.Count(f => f.Status == "warning"));
}

/// <param name="Domain">The domain name.</param>
/// <param name="Path">Its database file.</param>
/// <param name="Present">False when the file does not exist yet (not a problem: the first open creates it).</param>
/// <param name="Findings">One per check, in the order they ran.</param>
internal sealed record DatabaseDoctorReport(string Domain, string Path, bool Present, IReadOnlyList<DoctorFindingReport> Findings);

/// <param name="Check">The check's name.</param>
/// <param name="Status"><c>ok</c>, <c>warning</c>, <c>problem</c> or <c>skipped</c>.</param>
/// <param name="Message">What it found.</param>
/// <param name="Fix">What to do; absent when nothing is to be done.</param>
internal sealed record DoctorFindingReport(string Check, string Status, string Message, string? Fix)
{
    public static DoctorFindingReport From(DoctorFinding finding) =>
        new(finding.Check, finding.Status.ToString().ToLowerInvariant(), finding.Message, finding.Fix);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DoctorReport))]
internal sealed partial class DoctorJson : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using Filix.Runtime.Health;

namespace Filix.Cli.Health;

/// <summary>What <c>filix check</c> found in one data folder: one entry per domain database.</summary>
internal sealed record CheckReport(string DataFolder, IReadOnlyList<DatabaseCheck> Databases)
{
    public bool Healthy => Databases.All(d => d.Healthy);
}

/// <summary>One database's result, flattened for text and JSON.</summary>
internal sealed record DatabaseCheck(
    string Domain,
    string Path,
    string Status,
    bool Healthy,
    bool UncleanClose,
    bool OpenElsewhere,
    string? QuickCheck,
    string? IntegrityCheck,
    IReadOnlyList<ProblemEntry> Problems,
    IReadOnlyList<string> Notes,
    double ElapsedMs,
    string? LastVerifiedBackup,
    string? RestoreCommand)
{
    public static DatabaseCheck From(string domain, DatabaseHealth health, bool exists, string? lastBackup, string? restore) => new(
        domain,
        health.Path,
        !exists ? "missing" : health.IsHealthy ? "healthy" : "damaged",
        health.IsHealthy,
        health.UncleanClose,
        health.OpenElsewhere,
        health.QuickCheck,
        health.IntegrityCheck,
        health.Problems.Select(p => new ProblemEntry(p.Kind.ToString(), p.File, p.Message, p.Fix)).ToList(),
        health.Notes,
        health.Elapsed.TotalMilliseconds,
        lastBackup,
        restore);
}

internal sealed record ProblemEntry(string Kind, string File, string Message, string Fix);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CheckReport))]
internal sealed partial class CheckJson : JsonSerializerContext;

/// <summary>Prints a <see cref="CheckReport"/> as text or JSON.</summary>
internal static class CheckWriter
{
    // Messages quote paths with ' and "; the relaxed encoder keeps them readable (the output is not embedded in HTML).
    private static readonly CheckJson Json = new(new JsonSerializerOptions(CheckJson.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static void WriteJson(TextWriter output, CheckReport report) => output.WriteLine(JsonSerializer.Serialize(report, Json.CheckReport));

    public static void WriteText(TextWriter output, CheckReport report)
    {
        foreach (var db in report.Databases)
        {
            var checks = db.Status == "missing" ? "does not exist" : $"integrity_check {db.IntegrityCheck ?? "not run"}, {db.ElapsedMs:F0} ms";
            output.WriteLine($"{db.Domain,-12} {db.Status,-8} {db.Path} ({checks})");
            foreach (var problem in db.Problems)
            {
                output.WriteLine($"  problem  {problem.Message}");
                output.WriteLine($"  fix      {problem.Fix}");
            }

            if (!db.Healthy && db.RestoreCommand is not null)
            {
                output.WriteLine($"  backup   {db.LastVerifiedBackup ?? "none verified"}");
                output.WriteLine($"  restore  {db.RestoreCommand}");
            }

            foreach (var note in db.Notes)
            {
                output.WriteLine($"  note     {note}");
            }
        }

        output.WriteLine(report.Healthy ? "All databases are healthy." : "Problems found: see above.");
    }
}

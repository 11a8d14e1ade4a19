using Filix.Generators.Diagnostics;
using Filix.Generators.Migrations;
using Filix.Generators.Model;
using Filix.Generators.Parsing;

namespace Filix.Migrations.Tool;

/// <summary>What recording one domain's history did.</summary>
internal sealed record RecordResult(string SchemaFile, string? Domain, PlannedMigration? Created, IReadOnlyList<string> Files, IReadOnlyList<SchemaDiagnostic> Diagnostics)
{
    public bool Failed => Diagnostics.Count > 0;
}

/// <summary>
/// Compares each schema file with its recorded history and, when they differ, records the next migration: the
/// build does this, so a YAML change and its migration always land together (docs/migrations.md says why).
/// </summary>
internal static class MigrationRecorder
{
    /// <param name="check">Only report whether a migration is missing; write nothing (CI).</param>
    /// <param name="planned">Tests only: stands in for a planner defect by changing the plan before its proof.</param>
    public static RecordResult Record(string schemaFile, string historyRoot, bool check = false, Func<PlannedMigration, PlannedMigration>? planned = null)
    {
        var yaml = File.ReadAllText(schemaFile);
        var parsed = SchemaParser.Parse(schemaFile, yaml, string.Empty);
        if (parsed.Spec is not { } desired)
        {
            // The generator reports the schema's own errors; recording waits until the file is valid.
            return new RecordResult(schemaFile, null, null, Array.Empty<string>(), Array.Empty<SchemaDiagnostic>());
        }

        var diagnostics = new List<SchemaDiagnostic>();
        var history = HistoryFolder.Load(Path.Combine(historyRoot, desired.Name), desired.Name, diagnostics);
        var recorded = diagnostics.Count == 0 ? history.RecordedSchema(diagnostics) : null;
        if (diagnostics.Count > 0)
        {
            return new RecordResult(schemaFile, desired.Name, null, Array.Empty<string>(), diagnostics);
        }

        var plan = MigrationPlanner.Plan(recorded, desired, history.Migrations.Count + 1, yaml);
        if (plan is null)
        {
            return new RecordResult(schemaFile, desired.Name, null, Array.Empty<string>(), diagnostics);
        }

        plan = planned?.Invoke(plan) ?? plan;

        if (plan.Diagnostics.Count > 0)
        {
            return new RecordResult(schemaFile, desired.Name, plan, Array.Empty<string>(), plan.Diagnostics);
        }

        if (check)
        {
            return new RecordResult(schemaFile, desired.Name, plan, Array.Empty<string>(), Array.Empty<SchemaDiagnostic>());
        }

        // Never record a migration that has not been proved to apply: once written and checksummed it is history.
        if (MigrationProof.Check(history, recorded, desired, plan) is { } failure)
        {
            return new RecordResult(schemaFile, desired.Name, null, Array.Empty<string>(),
                [SchemaDiagnostic.Create(DiagnosticDescriptors.MigrationDoesNotApply, SourceSpan.None(schemaFile), desired.Name, plan.FileStem, failure)]);
        }

        return new RecordResult(schemaFile, desired.Name, plan, history.Write(plan), Array.Empty<SchemaDiagnostic>());
    }
}

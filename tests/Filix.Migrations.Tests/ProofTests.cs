using Filix.Generators.Migrations;
using Filix.Generators.Parsing;
using Filix.Migrations.Tool;

namespace Filix.Migrations.Tests;

/// <summary>Issue 10, defect 8 (second half): the build proves each new migration on a scratch database at the
/// previous migration, with rows, before it records it; one that does not apply is refused and nothing is written.</summary>
public sealed class ProofTests
{
    [Fact]
    public void A_migration_that_does_not_apply_is_refused_with_FLX0120_naming_the_failure()
    {
        using var history = new TestHistory();
        history.RecordVersion(1);
        var diagnostics = new List<Filix.Generators.Diagnostics.SchemaDiagnostic>();
        var folder = HistoryFolder.Load(Path.Combine(history.HistoryDir, "library"), "library", diagnostics);
        var recorded = folder.RecordedSchema(diagnostics);
        File.WriteAllText(history.SchemaFile, TestHistory.Version(2));
        var desired = SchemaParser.Parse(history.SchemaFile, TestHistory.Version(2), string.Empty).Spec!;
        var plan = MigrationPlanner.Plan(recorded, desired, 2, TestHistory.Version(2))!;

        Assert.Null(MigrationProof.Check(folder, recorded, desired, plan));

        // The shape of defect 8's migration: a rebuild copying no column.
        var broken = plan with { SqliteSql = "INSERT INTO \"books\" () SELECT FROM \"authors\";\n" + plan.SqliteSql };
        var failure = MigrationProof.Check(folder, recorded, desired, broken);

        Assert.NotNull(failure);
        Assert.Contains("Migration 0002_rename_drafts_and_more failed on 'the scratch database'", failure);
        Assert.Contains("syntax error", failure);
        Assert.Empty(diagnostics);
    }
}

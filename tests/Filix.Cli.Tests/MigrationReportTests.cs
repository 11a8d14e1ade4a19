using Filix.Testing;
using System.Text.Json;
using Filix.Cli.Reporting;
using Filix.Runtime.Migrations;

namespace Filix.Cli.Tests;

/// <summary><c>filix run</c> and <c>filix report</c> say what opening a database changed in its schema.</summary>
public sealed class MigrationReportTests
{
    [Fact]
    public async Task A_database_made_before_migrations_is_reported_as_adopted_once()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        await PreMigrationDatabase.CreateEntitiesAsync(data);

        var first = await Cli.RunAsync("report", "--data", data, "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        using (var json = JsonDocument.Parse(first.Output))
        {
            var migrations = Entities(json).GetProperty("migrations");
            Assert.Equal("adopted", migrations.GetProperty("change").GetString());
            Assert.Equal(["0001_initial"], migrations.GetProperty("adopted").EnumerateArray().Select(e => e.GetString()));
            Assert.Empty(migrations.GetProperty("applied").EnumerateArray());
        }

        Assert.Contains("entities: adopted 0001_initial (it already had that schema)", first.Error, StringComparison.Ordinal);

        // Adopted once: the next open has nothing to say, in JSON or in text.
        var second = await Cli.RunAsync("report", "--data", data, "--json");
        using (var json = JsonDocument.Parse(second.Output))
        {
            Assert.False(Entities(json).TryGetProperty("migrations", out _), second.Output);
        }

        var text = await Cli.RunAsync("report", "--data", data);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.DoesNotContain("migrations:", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_report_shows_the_adoption_under_the_domain()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        await PreMigrationDatabase.CreateEntitiesAsync(data);

        var result = await Cli.RunAsync("report", "--data", data);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n');
        var row = Array.FindIndex(lines, l => l.StartsWith("entities ", StringComparison.Ordinal));
        Assert.True(row >= 0, result.Output);
        Assert.Contains(lines.Skip(row + 1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)),
            l => l.Trim() == "migrations: adopted 0001_initial (it already had that schema)");
    }

    [Fact]
    public void An_older_database_is_summarised_as_upgraded_with_the_migrations_applied()
    {
        var initial = new Migration("0001", "initial", "c1", "h1", "CREATE TABLE t (id INTEGER);", "CREATE TABLE t (id integer);");
        var wikidata = new Migration("0002", "add_entities_wikidata_id", "c2", "h2", "ALTER TABLE t ADD x TEXT;", "ALTER TABLE t ADD x text;");
        var third = new Migration("0003", "add_index", "c3", "h3", "CREATE INDEX i ON t (x);", "CREATE INDEX i ON t (x);");
        var history = new[] { new AppliedMigration("0001", "initial", "c1", "2026-01-01T00:00:00Z") };

        var upgraded = MigrationSummary.From(new MigrationReport(history, [wikidata, third], [], DryRun: false))!;
        Assert.Equal("upgraded", upgraded.Change);
        Assert.Equal("upgraded, applied 0002_add_entities_wikidata_id, 0003_add_index", upgraded.ToString());

        var created = MigrationSummary.From(new MigrationReport([], [initial, wikidata], [], DryRun: false))!;
        Assert.Equal("created, applied 0001_initial, 0002_add_entities_wikidata_id", created.ToString());

        var adopted = MigrationSummary.From(new MigrationReport([], [wikidata], [initial], DryRun: false))!;
        Assert.Equal("adopted", adopted.Change);
        Assert.Equal("adopted 0001_initial (it already had that schema); applied 0002_add_entities_wikidata_id", adopted.ToString());

        Assert.Null(MigrationSummary.From(new MigrationReport(history, [], [], DryRun: false)));
    }

    private static JsonElement Entities(JsonDocument json) =>
        json.RootElement.GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("domain").GetString() == "entities");
}

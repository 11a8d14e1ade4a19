using Filix.Testing;
using System.Text.Json;
using Filix.Cli.Domains;
using Filix.Cli.Reporting;
using Filix.Runtime.Migrations;

namespace Filix.Cli.Tests;

/// <summary><c>filix run</c> and <c>filix report</c> say what opening a database changed in its schema.</summary>
public sealed class MigrationReportTests
{
    /// <summary>Issue 10, defect 14: <c>filix report</c> used to migrate (here: adopt) the file it reported on.</summary>
    [Fact]
    public async Task Report_says_what_a_database_made_before_migrations_lacks_and_leaves_it_byte_for_byte()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        var path = await PreMigrationDatabase.CreateEntitiesAsync(data);
        var before = File.ReadAllBytes(path);

        for (var i = 0; i < 2; i++)
        {
            var report = await Cli.RunAsync("report", "--data", data, "--json");

            Assert.True(report.ExitCode == 0, report.ToString());
            using var json = JsonDocument.Parse(report.Output);
            var migrations = Entities(json).GetProperty("migrations");
            Assert.Equal("pending", migrations.GetProperty("change").GetString());
            Assert.Equal(LiveHistory.Of("entities"), migrations.GetProperty("adopted").EnumerateArray().Select(e => e.GetString()));
            Assert.Empty(migrations.GetProperty("applied").EnumerateArray());
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.False(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0);
        }

        Assert.Equal(0, Rows(path, "SELECT count(*) FROM sqlite_schema WHERE name = '_filix_migrations'"));
    }

    [Fact]
    public async Task The_text_report_shows_what_is_pending_under_the_domain()
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
            l => l.Trim() == $"migrations: pending: would adopt {LiveHistory.Joined("entities")} (it already has that schema). Nothing was changed; 'filix migrate' (or opening the database) does it.");
    }

    /// <summary>Defect 14 with a real pending migration: a file one migration behind is reported, not migrated.</summary>
    [Fact]
    public async Task Report_on_a_database_one_migration_behind_lists_the_migration_and_changes_nothing()
    {
        using var temp = TempDirectory.Create("cli");
        var path = temp.File("notes.db");
        var first = new Migration("0001", "initial", "c1", "h1", "CREATE TABLE \"notes\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"body\" TEXT NOT NULL) STRICT;", "");
        var second = new Migration("0002", "add_notes_title", "c2", "h2", "ALTER TABLE \"notes\" ADD COLUMN \"title\" TEXT;", "");
        await using (await Filix.Runtime.FilixDatabase.OpenAsync(path, Schema("h1", first)))
        {
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO notes (id, body) VALUES (1, 'a'), (2, 'b')";
            insert.ExecuteNonQuery();
        }

        var before = File.ReadAllBytes(path);
        var report = await DomainInspector.ReportAsync(Schema("h2", first, second), shared: false, path, CancellationToken.None);

        Assert.Null(report.Error);
        Assert.Equal("present", report.Status);
        Assert.Equal(["0002_add_notes_title"], report.Migrations!.Pending);
        Assert.Equal("pending: would apply 0002_add_notes_title. Nothing was changed; 'filix migrate' (or opening the database) does it.", report.Migrations.ToString());
        Assert.Equal([new TableRows("notes", 2)], report.Tables);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["0001"], Ids(path));
    }

    private static Filix.Runtime.DatabaseSchema Schema(string hash, params Migration[] migrations) => new()
    {
        Domain = "notes",
        SchemaHash = hash,
        SourceFile = "notes.filix.yaml",
        Tables = ["notes"],
        // What a fresh database of that state has: the migrator compares the migrated file with it before COMMIT.
        SqliteDdl = [hash == "h1"
            ? "CREATE TABLE \"notes\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"body\" TEXT NOT NULL) STRICT"
            : "CREATE TABLE \"notes\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"body\" TEXT NOT NULL, \"title\" TEXT) STRICT"],
        PostgresDdl = [],
        Migrations = migrations,
    };

    private static long Rows(string path, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static List<string> Ids(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM _filix_migrations ORDER BY id";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
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

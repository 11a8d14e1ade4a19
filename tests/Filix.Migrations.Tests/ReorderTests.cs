using System.Text.Json.Nodes;
using Filix.Runtime;
using Filix.Testing;

namespace Filix.Migrations.Tests;

/// <summary>
/// Issue 10, defect 1: moving a table above another or swapping two columns is no change to the differ, so the
/// schema hash the code carries must not change either. Before the fix, the build recorded nothing and every open
/// (of a new file too) failed with "the migrations ... end at schema X, but ... describes schema Y".
/// </summary>
public sealed class ReorderTests
{
    [Fact]
    public async Task Reordering_tables_and_swapping_columns_records_nothing_and_every_database_still_opens()
    {
        using var history = new TestHistory();
        var existing = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(existing, history.RecordVersion(1));
        SqliteUpgradeTests.Fill(existing);

        var result = history.Record(Reordered(TestHistory.Version(1)));

        Assert.Empty(result.Diagnostics);
        Assert.Null(result.Created);
        Assert.Single(Directory.GetFiles(Path.Combine(history.HistoryDir, "library"), "*.sqlite.sql"));
        await AssertOpensAsync(history.Schema(), existing, history.DatabasePath("new.db"), "books");
    }

    /// <summary>The seven domains' committed <c>0001_initial</c> carries the legacy hash (over the DDL in YAML order),
    /// as do the databases made from it: a reorder of such a domain keeps the hash of its last migration, so both
    /// keep opening.</summary>
    [Fact]
    public async Task A_reordered_live_domain_keeps_the_legacy_hash_of_its_committed_history()
    {
        using var history = new TestHistory();
        var committed = Path.Combine(RepoRoot(), "schema", "migrations", "entities");
        var folder = Path.Combine(history.HistoryDir, "entities");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(committed))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var schemaFile = Path.Combine(history.SchemaDir, "entities.filix.yaml");
        File.Copy(Path.Combine(RepoRoot(), "schema", "entities.filix.yaml"), schemaFile);
        // The live history: 0001_initial (legacy hash) and whatever the build recorded since.
        var last = Directory.GetFiles(folder, "*.sqlite.sql").Order(StringComparer.Ordinal).Last();
        var legacyHash = Filix.Generators.Migrations.MigrationScript.ReadSchemaHash(File.ReadAllText(last));
        var existing = history.DatabasePath("entities.db");
        await SqliteUpgradeTests.OpenAndCloseAsync(existing, Filix.Migrations.Tool.RuntimeSchema.Load(schemaFile, history.HistoryDir));
        SqliteDump.Execute(existing, "INSERT INTO entities (id, type, name) VALUES ('e1', 'person', 'Ada')");

        File.WriteAllText(schemaFile, Reordered(File.ReadAllText(last.Replace(".sqlite.sql", ".snapshot.json", StringComparison.Ordinal))));
        var result = Filix.Migrations.Tool.MigrationRecorder.Record(schemaFile, history.HistoryDir);

        Assert.Empty(result.Diagnostics);
        Assert.Null(result.Created);
        var schema = Filix.Migrations.Tool.RuntimeSchema.Load(schemaFile, history.HistoryDir);
        Assert.Equal(legacyHash, schema.SchemaHash);
        await AssertOpensAsync(schema, existing, history.DatabasePath("new-entities.db"), "entities");
        Assert.Equal([legacyHash!], SqliteDump.Rows(existing, "SELECT value FROM _filix_meta WHERE key = 'schema_hash'"));
    }

    [Fact]
    public void The_canonical_hash_ignores_order_and_sees_every_change_the_differ_sees()
    {
        var v1 = Parse(TestHistory.Version(1));
        Assert.Equal(Filix.Generators.Migrations.SchemaHash.Compute(v1), Filix.Generators.Migrations.SchemaHash.Compute(Parse(Reordered(TestHistory.Version(1)))));
        foreach (var (from, to) in new[] { ("born: { type: integer, nullable: true }", "born: { type: real, nullable: true }"), ("sync: local", "sync: sync"), ("- [title]", "- [notes]") })
        {
            var changed = Parse(TestHistory.Version(1).Replace(from, to, StringComparison.Ordinal));
            Assert.NotEmpty(Filix.Generators.Migrations.SchemaDiffer.Diff(v1, changed));
            Assert.NotEqual(Filix.Generators.Migrations.SchemaHash.Compute(v1), Filix.Generators.Migrations.SchemaHash.Compute(changed));
        }
    }

    private static async Task AssertOpensAsync(DatabaseSchema schema, string existing, string fresh, string table)
    {
        await using (var database = await FilixDatabase.OpenAsync(existing, schema))
        {
            Assert.Empty(database.Migrations.Pending);
        }

        await using (var database = await FilixDatabase.OpenAsync(fresh, schema))
        {
            Assert.Equal(schema.Migrations.Select(m => m.Id), database.Migrations.Pending.Select(m => m.Id));
        }

        Assert.Equal(SqliteDump.Schema(fresh), SqliteDump.Schema(existing));
        Assert.True(SqliteDump.Count(existing, $"SELECT count(*) FROM \"{table}\"") > 0);
    }

    /// <summary>The schema with its tables in reverse order and each table's columns in reverse order (a schema
    /// file or a snapshot: JSON is YAML, and YAML is read here through the snapshot form).</summary>
    internal static string Reordered(string schemaText)
    {
        var json = schemaText.TrimStart().StartsWith('{') ? JsonNode.Parse(schemaText)!.AsObject() : ToJson(schemaText);
        var tables = new JsonObject();
        foreach (var (name, table) in json["tables"]!.AsObject().Reverse().ToList())
        {
            var copy = JsonNode.Parse(table!.ToJsonString())!.AsObject();
            var columns = new JsonObject();
            foreach (var (column, definition) in copy["columns"]!.AsObject().Reverse().ToList())
            {
                columns[column] = definition?.DeepClone();
            }

            copy["columns"] = columns;
            tables[name] = copy;
        }

        json["tables"] = tables;
        return json.ToJsonString();
    }

    private static JsonObject ToJson(string yaml)
    {
        var spec = Parse(yaml);
        return JsonNode.Parse(Filix.Generators.Migrations.SnapshotWriter.Write(spec))!.AsObject();
    }

    private static Filix.Generators.Model.DomainSpec Parse(string yaml) =>
        Filix.Generators.Parsing.SchemaParser.Parse("library.filix.yaml", yaml, string.Empty).Spec ?? throw new InvalidOperationException("invalid test schema");

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Filix.Schema.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Filix.Schema.sln above {AppContext.BaseDirectory}.");
    }
}

using Filix.Generators.Migrations;
using Filix.Generators.Parsing;
using Filix.Runtime.Migrations;
using Filix.Testing.Postgres;
using static Filix.Migrations.Tests.PostgresDump;

namespace Filix.Migrations.Tests;

/// <summary>
/// Names taken over in one edit, as EF Core's differ resolves them: renames first, then drops and adds. A name a
/// rename takes while its recorded owner is dropped or renamed itself moves aside first, so swaps, chains and
/// "drop name, rename title to name" apply on SQLite and Postgres with every value where the YAML says.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class RenameTests(PostgresFixture postgres)
{
    private const string People = """
        domain: library
        tables:
          people:
            sync: sync
            columns:
              id: { type: integer, primary_key: true }
              name: text
              title: { type: text, nullable: true }
            indexes:
              - [name]
        """;

    private static readonly string PeopleRenamed = People
        .Replace("      name: text\n      title: { type: text, nullable: true }\n", "      name: { type: text, nullable: true, renamed_from: title }\n");

    [Fact]
    public void Dropping_a_column_and_renaming_another_to_its_name_is_a_drop_and_a_rename_and_the_lint_says_so()
    {
        var plan = Plan(People, PeopleRenamed);
        Assert.Contains(plan.Operations, o => o is RenameColumnOperation { OldName: "title", NewName: "name" });
        Assert.Contains(plan.Operations, o => o is DropColumnOperation { Column.Name: "name" });
        Assert.DoesNotContain(plan.Operations, o => o is AlterColumnOperation or AddColumnOperation);

        var diagnostic = Assert.Single(plan.Diagnostics);
        Assert.Equal("FLX0108", diagnostic.Id);
        Assert.Equal(LineOf(PeopleRenamed, "renamed_from: title"), diagnostic.Span.StartLine + 1);
        Assert.Contains("Column 'people.name' as recorded is dropped with its values, and column 'title' of the same table is renamed to 'name'", diagnostic.Message);
        Assert.DoesNotContain("give the new column 'renamed_from", diagnostic.Message);

        Assert.Empty(Plan(People, Allow(PeopleRenamed, "people.name")).Diagnostics);
    }

    [Fact]
    public async Task Dropping_a_column_and_renaming_another_to_its_name_moves_the_values_on_both_dialects()
    {
        await ApplyAsync("rename_over_drop", People, Allow(PeopleRenamed, "people.name"),
            fill: "INSERT INTO people (id, name, title) VALUES (1, 'Ann', 'Dr'), (2, 'Bob', NULL), (3, 'Cy', 'Prof')",
            check: "SELECT id, coalesce(name, 'NULL') FROM people ORDER BY id",
            expected: ["1|Dr", "2|NULL", "3|Prof"]);
    }

    [Fact]
    public async Task A_dropped_self_reference_to_a_column_that_stops_being_unique_and_takes_its_name_applies()
    {
        // Randomized seed 204 (16 steps): 'kind' references 'at' of its own table; 'kind' is dropped and 'at' becomes
        // 'kind' without its unique constraint. Postgres refused to drop that constraint while the dropped
        // column's foreign key still depended on it.
        const string v1 = """
            domain: library
            tables:
              juliet:
                sync: sync
                columns:
                  key: { type: text, primary_key: true }
                  at: { type: integer, nullable: true, default: 0, unique: true }
                  kind: { type: integer, nullable: true, references: juliet.at }
            """;
        var v2 = Allow(v1, "juliet.kind").Replace(
            "      at: { type: integer, nullable: true, default: 0, unique: true }\n      kind: { type: integer, nullable: true, references: juliet.at }",
            "      kind: { type: integer, nullable: true, default: 0, renamed_from: at }");
        await ApplyAsync("self_reference_over_drop", v1, v2,
            fill: "INSERT INTO juliet (key, at, kind) VALUES ('a', 1, NULL), ('b', 2, 1), ('c', NULL, 2)",
            check: "SELECT key, coalesce(kind::text, 'NULL') FROM juliet ORDER BY key",
            expected: ["a|1", "b|2", "c|NULL"]);
    }

    [Fact]
    public async Task A_unique_column_referenced_by_another_table_can_be_dropped_while_a_rename_takes_its_name()
    {
        // SQLite rebuilds people (a unique column is dropped) from the renamed table; the reference of badges now
        // means the new 'name' and is made again in both dialects.
        const string v1 = """
            domain: library
            tables:
              people:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  name: { type: text, unique: true }
                  title: { type: text, nullable: true, unique: true }
              badges:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  holder: { type: text, references: people.name }
            """;
        var v2 = Allow(v1, "people.name").Replace(
            "      name: { type: text, unique: true }\n      title: { type: text, nullable: true, unique: true }\n",
            "      name: { type: text, nullable: true, unique: true, renamed_from: title }\n");
        var plan = Plan(v1, v2);
        Assert.Contains(plan.Operations, o => o is AlterColumnOperation { Table: "badges", Rebinds: true });
        Assert.Contains("ALTER TABLE \"people\" RENAME COLUMN \"name\" TO \"_filix_old_name\"", plan.PostgresSql);

        await ApplyAsync("unique_over_drop", v1, v2,
            fill: "INSERT INTO people (id, name, title) VALUES (1, 'Ann', 'Dr'), (2, 'Dr', 'Prof'); INSERT INTO badges (id, holder) VALUES (1, 'Dr')",
            check: "SELECT p.id, p.name, coalesce(b.id::text, '') FROM people p LEFT JOIN badges b ON b.holder = p.name ORDER BY p.id",
            expected: ["1|Dr|1", "2|Prof|"]);
    }

    [Fact]
    public async Task A_swap_and_a_chain_of_column_renames_keep_each_value_under_its_new_name()
    {
        const string v1 = """
            domain: library
            tables:
              pairs:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  a: text
                  b: { type: integer, nullable: true }
              chain:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  x: text
                  y: text
            """;

        // pairs: a <-> b swapped (b also becomes unique, so SQLite rebuilds the table after the renames);
        // chain: y -> z, then x -> y.
        const string v2 = """
            domain: library
            tables:
              pairs:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  b: { type: text, unique: true, renamed_from: a }
                  a: { type: integer, nullable: true, renamed_from: b }
              chain:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  y: { type: text, renamed_from: x }
                  z: { type: text, renamed_from: y }
            """;
        var plan = Plan(v1, v2);
        Assert.Empty(plan.Diagnostics);
        Assert.DoesNotContain(plan.Operations, o => o is DropColumnOperation or AddColumnOperation);
        Assert.Contains("ALTER TABLE \"pairs\" RENAME COLUMN \"b\" TO \"_filix_old_b\"", plan.SqliteSql);

        await ApplyAsync("column_swap", v1, v2,
            fill: "INSERT INTO pairs (id, a, b) VALUES (1, 'one', 10), (2, 'two', NULL); INSERT INTO chain (id, x, y) VALUES (1, 'x1', 'y1')",
            check: "SELECT p.id, p.b, coalesce(p.a::text, 'NULL'), c.y, c.z FROM pairs p LEFT JOIN chain c ON c.id = p.id ORDER BY p.id",
            expected: ["1|one|10|x1|y1", "2|two|NULL|NULL|NULL"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task Random_renames_drops_swaps_and_chains_put_every_kept_value_under_its_new_name(int seed)
    {
        // Recorded columns a..d; a random subset is kept under random distinct names from a..f (so swaps, chains
        // and renames onto dropped names all occur), the rest dropped; a random unique flag makes SQLite rebuild.
        var random = new Random(seed);
        var old = new[] { "a", "b", "c", "d" };
        var kept = old.Where(_ => random.Next(3) > 0).DefaultIfEmpty("a").ToList();
        var names = new[] { "a", "b", "c", "d", "e", "f" }.OrderBy(_ => random.Next()).Take(kept.Count).ToList();
        var unique = random.Next(2) == 0;
        var v1 = "domain: library\ntables:\n  t:\n    sync: sync\n    columns:\n      id: { type: integer, primary_key: true }\n" +
                 string.Concat(old.Select(c => $"      {c}: text\n"));
        var dropped = old.Except(kept).Select(c => "t." + c).ToList();
        var v2 = "domain: library\n" + (dropped.Count > 0 ? $"allow_destructive: [{string.Join(", ", dropped)}]\n" : string.Empty) +
                 "tables:\n  t:\n    sync: sync\n    columns:\n      id: { type: integer, primary_key: true }\n" +
                 string.Concat(kept.Select((c, i) => $"      {names[i]}: {{ type: text{(unique && i == 0 ? ", unique: true" : string.Empty)}" +
                                                     $"{(names[i] == c ? string.Empty : ", renamed_from: " + c)} }}\n"));
        var check = "SELECT " + string.Join(" || '|' || ", names.Select(n => SqlQuote(n))) + " FROM t ORDER BY id";
        var expected = Enumerable.Range(1, 3).Select(row => string.Join("|", kept.Select(c => c + row))).ToArray();
        await ApplyAsync("random_" + seed, v1, v2,
            fill: "INSERT INTO t (id, a, b, c, d) VALUES " + string.Join(", ", Enumerable.Range(1, 3).Select(r => $"({r}, 'a{r}', 'b{r}', 'c{r}', 'd{r}')")),
            check: check, expected: expected);
    }

    private static string SqlQuote(string name) => "\"" + name + "\"";

    private const string Tables = """
        domain: library
        tables:
          a:
            sync: sync
            columns:
              id: { type: integer, primary_key: true }
              v: text
            indexes:
              - [v]
          b:
            sync: sync
            columns:
              id: { type: integer, primary_key: true }
              w: text
          c:
            sync: sync
            columns:
              id: { type: integer, primary_key: true }
              a_id: { type: integer, references: a.id }
        """;

    // The recorded 'a' goes; 'b' becomes 'a' (with an index of the name the old one had); c now points at it.
    private static readonly string TablesRenamed = Tables
        .Replace("  a:\n    sync: sync\n    columns:\n      id: { type: integer, primary_key: true }\n      v: text\n    indexes:\n      - [v]\n", string.Empty)
        .Replace("  b:\n    sync: sync\n    columns:\n      id: { type: integer, primary_key: true }\n      w: text\n",
            "  a:\n    sync: sync\n    renamed_from: b\n    columns:\n      id: { type: integer, primary_key: true }\n      v: { type: text, renamed_from: w }\n    indexes:\n      - [v]\n");

    [Fact]
    public void Dropping_a_table_and_renaming_another_to_its_name_is_reported_as_what_happens()
    {
        var plan = Plan(Tables, TablesRenamed);
        Assert.Contains(plan.Operations, o => o is RenameTableOperation { OldName: "b", Table: "a" });
        Assert.Contains(plan.Operations, o => o is DropTableOperation { Table: "a" });
        Assert.Contains(plan.Operations, o => o is AlterColumnOperation { Table: "c", Rebinds: true });
        var diagnostic = Assert.Single(plan.Diagnostics);
        Assert.Equal("FLX0107", diagnostic.Id);
        Assert.Contains("Table 'a' as recorded is dropped with every row in it, and table 'b' is renamed to 'a'", diagnostic.Message);
        Assert.Equal(LineOf(TablesRenamed, "renamed_from: b"), diagnostic.Span.StartLine + 1);
    }

    [Fact]
    public async Task Dropping_a_table_and_renaming_another_to_its_name_moves_rows_and_references_on_both_dialects()
    {
        await ApplyAsync("table_over_drop", Tables, Allow(TablesRenamed, "a"),
            fill: "INSERT INTO a (id, v) VALUES (1, 'old1'), (2, 'old2'); INSERT INTO b (id, w) VALUES (1, 'new1'), (2, 'new2'), (3, 'new3'); " +
                  "INSERT INTO c (id, a_id) VALUES (7, 2)",
            check: "SELECT a.id, a.v, coalesce(c.id::text, '') FROM a LEFT JOIN c ON c.a_id = a.id ORDER BY a.id",
            expected: ["1|new1|", "2|new2|7", "3|new3|"]);
    }

    [Fact]
    public async Task A_local_table_dropped_while_a_shared_one_takes_its_name_leaves_the_renamed_one_upstream()
    {
        // Found by the randomized test (seed 3): the recorded 'a' was local, so it never was upstream, and its drop
        // must not reach Postgres, where 'a' is now the renamed 'b'.
        const string v1 = """
            domain: library
            tables:
              a:
                sync: local
                columns:
                  id: { type: integer, primary_key: true }
                  v: { type: text, nullable: true }
              b:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  w: text
            """;
        const string v2 = """
            domain: library
            allow_destructive: [a]
            tables:
              a:
                sync: sync
                renamed_from: b
                columns:
                  id: { type: integer, primary_key: true }
                  w: { type: text, default: none }
            """;
        await ApplyAsync("local_under_rename", v1, v2,
            fill: "INSERT INTO b (id, w) VALUES (1, 'kept'), (2, 'also kept')",
            check: "SELECT id, w FROM a ORDER BY id",
            expected: ["1|kept", "2|also kept"]);
    }

    [Fact]
    public async Task Two_tables_swapping_names_keep_their_rows()
    {
        const string v1 = """
            domain: library
            tables:
              x:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  p: text
              y:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  q: text
            """;
        var v2 = v1.Replace("  x:\n    sync: sync\n", "  y:\n    sync: sync\n    renamed_from: x\n")
            .Replace("  y:\n    sync: sync\n    columns:\n      id: { type: integer, primary_key: true }\n      q: text",
                "  x:\n    sync: sync\n    renamed_from: y\n    columns:\n      id: { type: integer, primary_key: true }\n      q: text");
        await ApplyAsync("table_swap", v1, v2,
            fill: "INSERT INTO x (id, p) VALUES (1, 'was x'); INSERT INTO y (id, q) VALUES (1, 'was y')",
            check: "SELECT y.p, x.q FROM x JOIN y ON x.id = y.id",
            expected: ["was x|was y"]);
    }

    [Fact]
    public async Task Sqlite_runs_every_rename_first_and_rebuilds_a_renamed_table_under_its_new_name()
    {
        const string v1 = """
            domain: library
            tables:
              people:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  name: text
                  age: { type: integer, nullable: true }
            """;
        const string v2 = """
            domain: library
            tables:
              persons:
                sync: sync
                renamed_from: people
                columns:
                  id: { type: integer, primary_key: true }
                  full_name: { type: text, renamed_from: name }
                  age: { type: integer, default: 0 }
            """;
        var statements = Statements(Plan(v1, v2).SqliteSql);
        Assert.Equal("ALTER TABLE \"people\" RENAME TO \"persons\"", statements[0]);
        Assert.Equal("ALTER TABLE \"persons\" RENAME COLUMN \"name\" TO \"full_name\"", statements[1]);
        Assert.StartsWith("CREATE TABLE \"" + SqliteMigrationSql.RebuildPrefix + "persons\"", statements[2]);
        Assert.Equal("INSERT INTO \"_filix_new_persons\" (\"id\", \"full_name\", \"age\")\n    SELECT \"id\", \"full_name\", COALESCE(\"age\", 0)\n    FROM \"persons\"", statements[3]);

        await ApplyAsync("renamed_rebuilt", v1, v2,
            fill: "INSERT INTO people (id, name, age) VALUES (1, 'Ann', NULL), (2, 'Bob', 40)",
            check: "SELECT id, full_name, age FROM persons ORDER BY id",
            expected: ["1|Ann|0", "2|Bob|40"]);
    }

    [Fact]
    public async Task A_rebuild_where_no_old_column_survives_carries_the_rows_with_the_new_defaults()
    {
        const string v1 = """
            domain: library
            tables:
              notes:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  body: text
            """;
        const string v2 = """
            domain: library
            allow_destructive: [notes.id, notes.body]
            tables:
              notes:
                sync: sync
                columns:
                  code: { type: integer, primary_key: true, default: 7 }
                  label: { type: text, nullable: true }
            """;
        var plan = Plan(v1, v2);
        Assert.Empty(plan.Diagnostics);
        Assert.DoesNotContain("()", plan.SqliteSql);
        Assert.Contains("INSERT INTO \"_filix_new_notes\" (\"code\")\n    SELECT 7\n    FROM \"notes\"", plan.SqliteSql);

        await ApplyAsync("no_survivor", v1, v2,
            fill: "INSERT INTO notes (id, body) VALUES ('n1', 'text')",
            check: "SELECT code, coalesce(label, 'NULL') FROM notes",
            expected: ["7|NULL"]);
    }

    /// <summary>Records <paramref name="v1"/>, fills a SQLite file and a Postgres upstream with the same rows,
    /// records <paramref name="v2"/>, migrates both, and checks the rows and that each equals a fresh database.</summary>
    private async Task ApplyAsync(string name, string v1, string v2, string fill, string check, string[] expected)
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await using var upstream = await OpenAsync(await postgres.CreateDatabaseAsync(name));
        var first = history.Record(v1);
        Assert.True(first.Diagnostics.Count == 0, string.Join("\n", first.Diagnostics));
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema());
        await PostgresMigrations.MigrateAsync(upstream, history.Schema());
        SqliteDump.Execute(path, fill);
        await ExecuteAsync(upstream, fill);

        var second = history.Record(v2);
        Assert.True(second.Diagnostics.Count == 0, string.Join("\n", second.Diagnostics));
        var schema = history.Schema();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, schema);
        await PostgresMigrations.MigrateAsync(upstream, schema);

        Assert.Equal(expected, SqliteDump.Rows(path, check.Replace("::text", string.Empty)));
        Assert.Equal(expected, await RowsAsync(upstream, check));
        Assert.Empty(SqliteDump.Rows(path, "PRAGMA foreign_key_check"));

        var freshFile = history.DatabasePath("fresh.db");
        await SqliteUpgradeTests.OpenAndCloseAsync(freshFile, history.Schema(withMigrations: false));
        Assert.Equal(SqliteDump.Schema(freshFile), SqliteDump.Schema(path));
        await using var fresh = await OpenAsync(await postgres.CreateDatabaseAsync(name + "_fresh"));
        await ExecuteAsync(fresh, string.Join(";\n", schema.PostgresDdl));
        Assert.Equal(await SchemaAsync(fresh), await SchemaAsync(upstream));
    }

    private static PlannedMigration Plan(string v1, string v2)
    {
        var recorded = SchemaParser.Parse("library.filix.yaml", v1, string.Empty);
        Assert.Empty(recorded.Diagnostics);
        var desired = SchemaParser.Parse("library.filix.yaml", v2, string.Empty);
        Assert.Empty(desired.Diagnostics);
        return MigrationPlanner.Plan(recorded.Spec!, desired.Spec!, 2, v2)!;
    }

    private static string Allow(string yaml, string element) => yaml.Replace("domain: library", $"domain: library\nallow_destructive: [{element}]");

    private static int LineOf(string yaml, string text) => yaml[..yaml.IndexOf(text, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

    /// <summary>The statements of a migration file, without comments and checks.</summary>
    private static List<string> Statements(string file) =>
        file.Split("\n\n").Select(s => s.Trim()).Where(s => s.Length > 0 && !s.StartsWith("--", StringComparison.Ordinal))
            .Select(s => s.TrimEnd(';')).ToList();
}

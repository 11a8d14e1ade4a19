using Filix.Runtime;
using Filix.Runtime.Migrations;
using Filix.Testing.Postgres;
using Npgsql;

namespace Filix.Migrations.Tests;

/// <summary>A new unique constraint or index over existing rows: NULLs are distinct under SQL's UNIQUE (in SQLite
/// and Postgres), so only values that occur twice are refused, and the message counts and shows them.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class UniqueCheckTests(PostgresFixture postgres)
{
    private static string Unique(string yaml) => yaml
        .Replace("notes: { type: text, nullable: true }", "notes: { type: text, nullable: true, unique: true }")
        .Replace("      - [title]", "      - [title]\n      - { columns: [price, notes], unique: true }");

    [Fact]
    public async Task A_nullable_column_with_many_NULLs_becomes_unique_in_SQLite_and_in_Postgres()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        var v1 = history.RecordVersion(1);
        await SqliteUpgradeTests.OpenAndCloseAsync(path, v1);
        SqliteUpgradeTests.Fill(path); // 200 books without notes, 200 with distinct ones; price NULL where notes are not
        Assert.Empty(history.Record(Unique(TestHistory.Version(1))).Diagnostics);

        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema());
        Assert.Equal(["0001", "0002"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations ORDER BY id"));
        Assert.Equal(200, SqliteDump.Count(path, "SELECT count(*) FROM books WHERE notes IS NULL"));

        await using var upstream = new NpgsqlConnection(PostgresDump.InLibrary(await postgres.CreateDatabaseAsync("unique_nulls")));
        await upstream.OpenAsync();
        await PostgresMigrations.MigrateAsync(upstream, v1);
        await using (var fill = new NpgsqlCommand(
            "INSERT INTO authors (id, name) VALUES ('a', 'A'); INSERT INTO books (id, author_id, title, price, notes) " +
            "SELECT i, 'a', 'T' || i, CASE WHEN i % 2 = 0 THEN i END, CASE WHEN i % 2 = 1 THEN 'note ' || i END FROM generate_series(1, 40) i", upstream))
        {
            await fill.ExecuteNonQueryAsync();
        }

        Assert.Single((await PostgresMigrations.MigrateAsync(upstream, history.Schema())).Pending);
    }

    [Fact]
    public async Task Duplicates_are_counted_as_values_and_shown()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.RecordVersion(1));
        SqliteUpgradeTests.Fill(path);
        SqliteDump.Execute(path, "UPDATE books SET notes = 'same' WHERE id IN (1, 3, 5); UPDATE books SET notes = 'twice' WHERE id IN (7, 9)");
        Assert.Empty(history.Record(Unique(TestHistory.Version(1))).Diagnostics);

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema()));
        Assert.Equal(
            $"Migration 0002_alter_books_notes_and_more cannot be applied to '{path}': column books.notes has 2 values that occur in more than one row, " +
            "but the new unique constraint needs each value once, for example 'same', 'twice'. " +
            "Nothing was changed. Fix those rows (or change the YAML so the migration keeps them), then open the database again.",
            error.Message);
    }

    /// <summary>A new column with a default gives every existing row the same value: a unique constraint or index
    /// over it can hold only while the table has at most one row, so more rows are refused by a check before
    /// anything changes (both dialects), instead of failing inside the migration; one row migrates.</summary>
    [Theory]
    [InlineData("code: { type: integer, default: 7, unique: true }", "column books.code")]
    [InlineData("code: { type: integer, default: 7 }\n    indexes:\n      - { columns: [code], unique: true }", "column books.code")]
    public async Task A_new_column_with_a_default_cannot_become_unique_over_several_rows(string column, string named)
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        var v1 = history.RecordVersion(1);
        await SqliteUpgradeTests.OpenAndCloseAsync(path, v1);
        SqliteDump.Execute(path, "INSERT INTO authors (id, name) VALUES ('a', 'A'); INSERT INTO books (id, author_id, title) VALUES (1, 'a', 'x'), (2, 'a', 'y'), (3, 'a', 'z')");
        var v2 = TestHistory.Version(1).Replace("      flag: { type: boolean, default: false }\n    indexes:\n      - [title]\n",
            "      flag: { type: boolean, default: false }\n      " + column + (column.Contains("indexes") ? "\n      - [title]\n" : "\n    indexes:\n      - [title]\n"));
        var recorded = history.Record(v2);
        Assert.True(recorded.Diagnostics.Count == 0, string.Join("\n", recorded.Diagnostics));

        var before = File.ReadAllBytes(path);
        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema()));
        Assert.Contains(named + " is new and its default gives every existing row the same value", error.Message);
        Assert.Contains("the table has 2 rows more than one", error.Message);
        Assert.Equal(["0001"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations ORDER BY id"));

        await using var upstream = new NpgsqlConnection(PostgresDump.InLibrary(await postgres.CreateDatabaseAsync("unique_default")));
        await upstream.OpenAsync();
        await PostgresMigrations.MigrateAsync(upstream, v1);
        await using (var fill = new NpgsqlCommand("INSERT INTO library.authors (id, name) VALUES ('a', 'A'); INSERT INTO library.books (id, author_id, title) VALUES (1, 'a', 'x'), (2, 'a', 'y')", upstream))
        {
            await fill.ExecuteNonQueryAsync();
        }

        var refused = await Assert.ThrowsAsync<FilixException>(() => PostgresMigrations.MigrateAsync(upstream, history.Schema()));
        Assert.Contains(named + " is new and its default gives every existing row the same value", refused.Message);

        // One row keeps the constraint satisfiable: it migrates.
        SqliteDump.Execute(path, "DELETE FROM books WHERE id > 1");
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema());
        Assert.Equal(["1|7"], SqliteDump.Rows(path, "SELECT id, code FROM books"));
    }

    [Fact]
    public async Task A_unique_column_whose_NULLs_a_default_fills_is_refused_naming_it_when_the_filled_values_collide()
    {
        // Found by the randomized test (seed 293, 16 steps): NULLs are distinct under UNIQUE, but NOT NULL with a
        // default gives them all one value; Postgres then failed inside the UPDATE naming a constraint, not the column.
        const string v1 = """
            domain: library
            tables:
              samples:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  code: { type: text, nullable: true, unique: true }
            """;
        var v2 = v1.Replace("code: { type: text, nullable: true, unique: true }", "code: { type: text, default: x, unique: true }");
        using var history = new TestHistory();
        var path = history.DatabasePath();
        Assert.Empty(history.Record(v1).Diagnostics);
        var first = history.Schema();
        await using var upstream = new NpgsqlConnection(PostgresDump.InLibrary(await postgres.CreateDatabaseAsync("unique_fill")));
        await upstream.OpenAsync();
        await PostgresMigrations.MigrateAsync(upstream, first);
        await SqliteUpgradeTests.OpenAndCloseAsync(path, first);
        const string fill = "INSERT INTO samples (id, code) VALUES (1, NULL), (2, 'x'), (3, 'y')";
        SqliteDump.Execute(path, fill);
        await using (var insert = new NpgsqlCommand(fill, upstream))
        {
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Empty(history.Record(v2).Diagnostics);
        var second = history.Schema();

        var local = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, second));
        var remote = await Assert.ThrowsAsync<FilixException>(() => PostgresMigrations.MigrateAsync(upstream, second));
        foreach (var error in new[] { local, remote })
        {
            Assert.Contains("column samples.code", error.Message);
            Assert.Contains("the default fills", error.Message);
        }
    }
}

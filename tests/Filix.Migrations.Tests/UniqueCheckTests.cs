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

        await using var upstream = new NpgsqlConnection(await postgres.CreateDatabaseAsync("unique_nulls"));
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
}

using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Migrations.Tests;

/// <summary>Every statement of a migration runs and is checked on its own: none is skipped, and the first that
/// fails rolls the whole run back with a message naming the migration, the statement and the file.</summary>
public sealed class StatementExecutionTests
{
    /// <summary>The repro of the swallowed error (the index over the new column was skipped and the migration
    /// recorded): the rows would share the new column's default, so a data check now refuses the migration before
    /// any statement runs; with one row left it applies, index included. (The statement-level failure itself is the
    /// next test, with a migration written by hand, since the planner now catches this case earlier.)</summary>
    [Fact]
    public async Task A_unique_index_over_a_column_added_with_a_default_is_not_skipped_when_rows_share_that_default()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.RecordVersion(1));
        SqliteUpgradeTests.Fill(path);
        var before = SqliteDump.Schema(path);

        // ADD COLUMN, then CREATE UNIQUE INDEX over the new column: 400 books would all hold 'none'.
        var isbn = TestHistory.Version(1)
            .Replace("      notes: { type: text, nullable: true }", "      notes: { type: text, nullable: true }\n      isbn: { type: text, default: none }")
            .Replace("      - [title]", "      - [title]\n      - { columns: [isbn], unique: true }");
        Assert.Empty(history.Record(isbn).Diagnostics);
        var sql = history.Schema().Migrations[^1].SqliteSql;
        Assert.Contains("ADD COLUMN \"isbn\"", sql);
        Assert.Contains("CREATE UNIQUE INDEX", sql);

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema()));
        Assert.StartsWith($"Migration 0002_add_books_isbn_and_more cannot be applied to '{path}': column books.isbn is new and its default gives every existing row the same value", error.Message);
        Assert.Contains("the table has 399 rows more than one", error.Message);
        Assert.Contains("Nothing was changed", error.Message);
        Assert.Equal(path, error.Path);
        Assert.Equal(before, SqliteDump.Schema(path));
        Assert.Equal(["0001"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations"));

        // With one book left the same migration applies, index included.
        SqliteDump.Execute(path, "DELETE FROM books WHERE id > 1");
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema());
        Assert.Equal(["0001", "0002"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations ORDER BY id"));
        Assert.Equal(1, SqliteDump.Count(path, "SELECT count(*) FROM pragma_index_list('books') WHERE \"unique\" AND name LIKE '%isbn%'"));
    }

    [Fact]
    public async Task A_failing_statement_after_others_rolls_back_all_of_them_and_is_named()
    {
        using var folder = Filix.Testing.TempDirectory.Create("statements");
        var domain = new HandSchema("shop",
            (["CREATE TABLE \"items\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL) STRICT"],
             "CREATE TABLE \"items\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL) STRICT;"),
            (["CREATE TABLE \"items\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL, \"size\" INTEGER) STRICT",
              "CREATE TABLE \"sizes\" (\"size\" INTEGER NOT NULL PRIMARY KEY) STRICT"],
             """
             ALTER TABLE "items" ADD COLUMN "size" INTEGER;
             CREATE TABLE "sizes" ("size" INTEGER NOT NULL PRIMARY KEY) STRICT;
             -- a statement that fails: every item gets size 1, twice
             INSERT INTO "sizes" ("size") SELECT 1 FROM "items";
             """));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));
        SqliteDump.Execute(path, "INSERT INTO items (id, name) VALUES (1, 'a'), (2, 'b')");
        var before = SqliteDump.Schema(path);

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteMigrations.MigrateAsync(path, domain.At(2)));
        Assert.StartsWith($"Migration 0002_step_2 failed on '{path}' at its statement 3, `INSERT INTO \"sizes\" (\"size\") SELECT 1 FROM \"items\"`: SQLite says \"UNIQUE constraint failed: sizes.size\".", error.Message);
        Assert.Equal(before, SqliteDump.Schema(path));
        Assert.Equal(["0001"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations"));
    }
}

using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Migrations.Tests;

/// <summary>A database created at version 1, filled, then upgraded through versions 2, 3 and 4 on disk.</summary>
public sealed class SqliteUpgradeTests
{
    private const int Authors = 50;
    private const int Books = 400;

    [Fact]
    public async Task Upgrading_through_three_versions_keeps_every_row_and_equals_a_fresh_database()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await OpenAndCloseAsync(path, history.RecordVersion(1));
        Fill(path);
        SqliteDump.Execute(path, "CREATE TRIGGER \"books_audit\" AFTER UPDATE ON \"books\" BEGIN SELECT 1; END");

        // v2: renames and an added column are ALTER TABLE statements, never a rebuild.
        var v2 = history.RecordVersion(2);
        Assert.DoesNotContain("_filix_new_", v2.Migrations[^1].SqliteSql);
        Assert.Contains("RENAME COLUMN \"name\" TO \"full_name\"", v2.Migrations[^1].SqliteSql);
        Assert.Contains("ADD COLUMN \"pages\"", v2.Migrations[^1].SqliteSql);
        await OpenAndCloseAsync(path, v2);
        Assert.Equal(Authors, SqliteDump.Count(path, "SELECT count(*) FROM authors WHERE full_name LIKE 'Author %'"));
        Assert.Equal(3, SqliteDump.Count(path, "SELECT count(*) FROM notes_local"));
        SqliteDump.Execute(path, "INSERT INTO tags (book_id, tag) SELECT id, 'tag ' || id FROM books");

        // v3: rebuilds of books (type, NOT NULL with default, non-constant default) and an index change on authors.
        var v3 = history.RecordVersion(3);
        Assert.Contains("INSERT INTO \"_filix_new_books\"", v3.Migrations[^1].SqliteSql);
        await OpenAndCloseAsync(path, v3);
        Assert.Equal(Books, SqliteDump.Count(path, "SELECT count(*) FROM books"));
        Assert.Equal(Books / 2, SqliteDump.Count(path, "SELECT count(*) FROM books WHERE notes = ''"));
        Assert.Equal("real", SqliteDump.Rows(path, "SELECT typeof(price) FROM books WHERE id = 2")[0]);
        Assert.Equal(1, SqliteDump.Count(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'books_audit'"));

        // v4: an intended column drop, a primary key change, a composite index.
        await OpenAndCloseAsync(path, history.RecordVersion(4));
        Assert.Equal(Books, SqliteDump.Count(path, "SELECT count(*) FROM books"));
        Assert.Equal(Authors, SqliteDump.Count(path, "SELECT count(*) FROM authors"));
        Assert.Equal(Books, SqliteDump.Count(path, "SELECT count(*) FROM tags WHERE weight = 1"));
        Assert.Equal(
            Enumerable.Range(1, Books).Select(i => $"{i}|author-{i % Authors}|Title {i}|{(i % 2 == 0 ? i * 10 : "NULL")}|{i % 2}").ToList(),
            SqliteDump.Rows(path, "SELECT id, author_id, title, price, flag FROM books ORDER BY id"));
        Assert.Equal(["0001_initial", "0002_rename_drafts_and_more", "0003_add_books_created_at_and_more", "0004_add_tags_weight_and_more"],
            SqliteDump.Rows(path, "SELECT id || '_' || name FROM _filix_migrations ORDER BY id"));
        Assert.Empty(SqliteDump.Rows(path, "PRAGMA foreign_key_check"));

        // The reference: a database created directly from version 4's DDL, not through the migrations.
        var fresh = history.DatabasePath("fresh.db");
        await OpenAndCloseAsync(fresh, history.Schema(withMigrations: false));
        SqliteDump.Execute(fresh, "CREATE TRIGGER \"books_audit\" AFTER UPDATE ON \"books\" BEGIN SELECT 1; END");
        Assert.Equal(SqliteDump.Schema(fresh), SqliteDump.Schema(path));
    }

    [Fact]
    public async Task A_database_made_before_migrations_is_adopted_by_its_schema_hash()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        history.RecordVersion(1);
        await OpenAndCloseAsync(path, history.Schema(withMigrations: false));
        Fill(path);
        Assert.Equal(0, SqliteDump.Count(path, "SELECT count(*) FROM sqlite_schema WHERE name = '_filix_migrations'"));

        history.RecordVersion(2);
        var report = await SqliteMigrations.MigrateAsync(path, history.RecordVersion(3));
        Assert.Equal(["0001"], report.Adopted.Select(m => m.Id));
        Assert.Equal(["0002", "0003"], report.Pending.Select(m => m.Id));
        Assert.Equal(["0001", "0002", "0003"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations ORDER BY id"));
        Assert.Equal(Books, SqliteDump.Count(path, "SELECT count(*) FROM books"));
    }

    [Fact]
    public async Task The_open_database_says_which_migrations_opening_it_applied()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await using (var created = await FilixDatabase.OpenAsync(path, history.RecordVersion(1)))
        {
            Assert.Empty(created.Migrations.Applied);
            Assert.Equal(["0001"], created.Migrations.Pending.Select(m => m.Id));
        }

        history.RecordVersion(2);
        var v3 = history.RecordVersion(3);
        await using (var upgraded = await FilixDatabase.OpenAsync(path, v3))
        {
            Assert.Equal(["0001"], upgraded.Migrations.Applied.Select(m => m.Id));
            Assert.Equal(["0002", "0003"], upgraded.Migrations.Pending.Select(m => m.Id));
            Assert.Empty(upgraded.Migrations.Adopted);
            Assert.False(upgraded.Migrations.DryRun);
        }

        await using var current = await FilixDatabase.OpenAsync(path, v3);
        Assert.Equal(["0001", "0002", "0003"], current.Migrations.Applied.Select(m => m.Id));
        Assert.Empty(current.Migrations.Pending);
        Assert.Empty(current.Migrations.Adopted);
    }

    [Fact]
    public async Task Dry_run_reports_the_pending_sql_and_changes_nothing()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await OpenAndCloseAsync(path, history.RecordVersion(1));
        Fill(path);
        var before = SqliteDump.Schema(path) + string.Join("\n", SqliteDump.Rows(path, "SELECT * FROM books ORDER BY id"));

        history.RecordVersion(2);
        var report = await SqliteMigrations.MigrateAsync(path, history.RecordVersion(3), dryRun: true);
        Assert.True(report.DryRun);
        Assert.Equal(["0002", "0003"], report.Pending.Select(m => m.Id));
        Assert.Contains("CREATE TABLE \"_filix_new_books\"", report.Pending[1].SqliteSql);
        Assert.Equal(before, SqliteDump.Schema(path) + string.Join("\n", SqliteDump.Rows(path, "SELECT * FROM books ORDER BY id")));
        Assert.Equal(["0001"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations"));

        var missing = history.DatabasePath("missing.db");
        Assert.Equal(3, (await SqliteMigrations.MigrateAsync(missing, history.Schema(), dryRun: true)).Pending.Count);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task Migrating_a_file_that_is_not_a_database_or_is_in_a_missing_folder_says_so_and_changes_nothing()
    {
        using var history = new TestHistory();
        var garbage = history.DatabasePath("notes.db");
        var bytes = System.Text.Encoding.UTF8.GetBytes(new string('x', 4096));
        File.WriteAllBytes(garbage, bytes);

        var notDatabase = await Assert.ThrowsAsync<FilixException>(() => SqliteMigrations.MigrateAsync(garbage, history.RecordVersion(1)));
        Assert.Contains("is not a SQLite database", notDatabase.Message);
        Assert.Equal(garbage, notDatabase.Path);
        Assert.Equal(bytes, File.ReadAllBytes(garbage));

        var inMissingFolder = Path.Combine(Path.GetDirectoryName(garbage)!, "no", "such", "entities.db");
        var missing = await Assert.ThrowsAsync<FilixException>(() => SqliteMigrations.MigrateAsync(inMissingFolder, history.Schema()));
        Assert.Contains("does not exist", missing.Message);
        Assert.False(Directory.Exists(Path.GetDirectoryName(inMissingFolder)));
    }

    internal static async Task OpenAndCloseAsync(string path, DatabaseSchema schema)
    {
        await using var database = await FilixDatabase.OpenAsync(path, schema);
    }

    /// <summary>Version-1 rows: half the books have no price and no notes.</summary>
    internal static void Fill(string path)
    {
        using var connection = SqliteDump.Open(path);
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {Authors - 1}) " +
            "INSERT INTO authors (id, name, born) SELECT 'author-' || i, 'Author ' || i, 1900 + i FROM n;" +
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Books}) " +
            $"INSERT INTO books (id, author_id, title, price, notes, flag) SELECT i, 'author-' || (i % {Authors}), 'Title ' || i, " +
            "CASE WHEN i % 2 = 0 THEN i * 10 END, CASE WHEN i % 2 = 1 THEN 'note ' || i END, i % 2 FROM n;" +
            "INSERT INTO drafts (id, body) VALUES (1, 'a'), (2, 'b'), (3, 'c');";
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}

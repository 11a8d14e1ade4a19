using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Migrations.Tests;

/// <summary>What must be refused or done exactly once: concurrent openers, edited history, newer databases,
/// data that a migration cannot keep.</summary>
public sealed class SqliteSafetyTests
{
    [Fact]
    public async Task Two_openers_at_once_apply_each_migration_once()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.RecordVersion(1));
        SqliteUpgradeTests.Fill(path);
        history.RecordVersion(2);
        var v3 = history.RecordVersion(3);

        using var start = new Barrier(2);
        var openers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            await using var database = await FilixDatabase.OpenAsync(path, v3);
        })).ToArray();
        await Task.WhenAll(openers);

        Assert.Equal(["0001", "0002", "0003"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations ORDER BY id"));
        Assert.Equal(400, SqliteDump.Count(path, "SELECT count(*) FROM books"));
    }

    [Fact]
    public async Task An_edited_applied_migration_is_refused_by_the_database_and_by_the_build()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.RecordVersion(1));
        var file = history.MigrationFilePath("0001_initial", ".sqlite.sql");
        File.AppendAllText(file, "\nCREATE INDEX \"ix_sneaky\" ON \"books\" (\"notes\");\n");

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema()));
        Assert.Contains("0001_initial", error.Message);
        Assert.Contains("was changed after", error.Message);

        var build = history.Record(TestHistory.Version(2));
        Assert.Equal("FLX0110", Assert.Single(build.Diagnostics).Id);
        Assert.Empty(build.Files);
    }

    [Fact]
    public async Task A_database_newer_than_the_code_is_refused_and_left_unchanged()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        var v1 = history.RecordVersion(1);
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.RecordVersion(2));
        var before = SqliteDump.Schema(path);

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, v1));
        Assert.Contains("newer than this build", error.Message);
        Assert.Contains("0002_rename_drafts_and_more", error.Message);
        Assert.Equal(path, error.Path); // the file itself, not the quoted text the message shows
        Assert.Equal(before, SqliteDump.Schema(path));
    }

    [Fact]
    public async Task Cancelling_an_open_while_it_migrates_rolls_the_migration_back_and_the_next_open_migrates()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.RecordVersion(1));
        const int Rows = 500_000; // a rebuild of this many rows takes well over a second here: time to cancel it midway
        SqliteDump.Execute(path, $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO authors (id, name, born) SELECT 'a' || i, 'Author ' || i, i FROM n");
        var before = SqliteDump.Schema(path);
        var changed = TestHistory.Version(1).Replace("born: { type: integer, nullable: true }", "born: { type: real, nullable: true }");
        Assert.Empty(history.Record(changed).Diagnostics);
        Assert.Contains("_filix_new_", history.Schema().Migrations[^1].SqliteSql); // a rebuild copies every row

        // Cancelled from a thread of its own: a timer's callback could wait behind the busy thread pool.
        using var cancel = new CancellationTokenSource();
        new Thread(() =>
        {
            Thread.Sleep(100);
            cancel.Cancel();
        }).Start();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FilixDatabase.OpenAsync(path, history.Schema(), cancellationToken: cancel.Token));
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.Equal(before, SqliteDump.Schema(path));
        Assert.Equal(["0001"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations"));
        Assert.Equal([$"{Rows}"], SqliteDump.Rows(path, "SELECT count(*) FROM authors"));

        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema());
        Assert.Equal([$"{Rows}|real"], SqliteDump.Rows(path, "SELECT count(*), typeof(max(born)) FROM authors"));
    }

    [Fact]
    public async Task Nulls_in_a_column_made_required_stop_the_migration_before_anything_changes()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.RecordVersion(1));
        SqliteUpgradeTests.Fill(path);
        var before = SqliteDump.Schema(path);

        var required = TestHistory.Version(1).Replace("notes: { type: text, nullable: true }", "notes: text")
            .Replace("domain: library", "domain: library\nallow_destructive: [books.notes]");
        var result = history.Record(required);
        Assert.Empty(result.Diagnostics);

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema()));
        Assert.Contains("books.notes", error.Message);
        Assert.Contains("(200 rows)", error.Message);
        Assert.Contains("Nothing was changed", error.Message);
        Assert.Equal(before, SqliteDump.Schema(path));
        Assert.Equal(["0001"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations"));
    }

    [Fact]
    public async Task Values_that_do_not_convert_to_a_narrower_type_are_counted_before_anything_changes()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.RecordVersion(1));
        SqliteUpgradeTests.Fill(path);
        SqliteDump.Execute(path, "UPDATE books SET notes = '42' WHERE id = 1");

        var narrowed = TestHistory.Version(1).Replace("notes: { type: text, nullable: true }", "notes: { type: integer, nullable: true }")
            .Replace("domain: library", "domain: library\nallow_destructive: [books.notes]");
        Assert.Empty(history.Record(narrowed).Diagnostics);

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema()));
        Assert.Contains("books.notes holds values that do not convert from text to integer alike in SQLite and Postgres (199 rows), for example ", error.Message);
        Assert.Equal("42", SqliteDump.Rows(path, "SELECT notes FROM books WHERE id = 1")[0]);

        SqliteDump.Execute(path, "UPDATE books SET notes = NULL WHERE id <> 1");
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema());
        Assert.Equal("integer|42", SqliteDump.Rows(path, "SELECT typeof(notes), notes FROM books WHERE id = 1")[0]);
    }

    [Fact]
    public async Task Checks_use_the_recorded_names_when_the_same_migration_renames_and_adds()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.RecordVersion(1));
        SqliteUpgradeTests.Fill(path);

        // Renamed table, renamed column made required, and a unique index over a new column and an old one.
        var changed = TestHistory.Version(1)
            .Replace("  books:\n    sync: sync", "  volumes:\n    sync: sync\n    renamed_from: books")
            .Replace("      notes: { type: text, nullable: true }", "      remarks: { type: text, renamed_from: notes }\n      isbn: { type: text, nullable: true }")
            .Replace("      - [title]", "      - { columns: [author_id, isbn], unique: true }")
            .Replace("domain: library", "domain: library\nallow_destructive: [volumes.remarks]");
        Assert.Empty(history.Record(changed).Diagnostics);

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema()));
        Assert.Contains("column books.notes (renamed to volumes.remarks by this migration) holds NULL", error.Message);
        Assert.Contains("(200 rows)", error.Message);

        SqliteDump.Execute(path, "UPDATE books SET notes = 'n' WHERE notes IS NULL");
        error = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema()));
        Assert.Contains("columns (author_id, isbn) of table books (renamed to volumes by this migration) have 50 combinations of values that occur in more than one row", error.Message);

        SqliteDump.Execute(path, "DELETE FROM books WHERE id > 50");
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema());
        Assert.Equal(50, SqliteDump.Count(path, "SELECT count(*) FROM volumes WHERE remarks <> ''"));
    }
}

using System.Text.RegularExpressions;
using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Migrations.Tests;

/// <summary>The refusals of migrations read as sentences: tables named as the database has them, counts that say
/// what they count, and no doubled punctuation where one message is put inside another.</summary>
public sealed class MessageTests
{
    [Fact]
    public async Task A_refusal_in_a_migration_that_renames_the_table_names_it_as_the_database_has_it_and_mentions_the_new_name()
    {
        using var history = new TestHistory();
        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.RecordVersion(1));
        SqliteUpgradeTests.Fill(path);
        var renamed = TestHistory.Version(1)
            .Replace("  books:\n    sync: sync", "  volumes:\n    sync: sync\n    renamed_from: books")
            .Replace("notes: { type: text, nullable: true }", "notes: { type: integer, nullable: true }")
            .Replace("domain: library", "domain: library\nallow_destructive: [volumes.notes]");
        Assert.Empty(history.Record(renamed).Diagnostics);

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema()));
        Assert.Contains(": column notes of table books (renamed to volumes by this migration) holds values that do not convert from text to integer alike in SQLite and Postgres (200 rows), for example 'note 1', ", error.Message);
    }

    [Fact]
    public async Task No_migration_message_has_doubled_punctuation()
    {
        var messages = new List<string>();
        using var folder = Filix.Testing.TempDirectory.Create("messages");
        const string Items = "CREATE TABLE \"items\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL) STRICT";
        const string Rebuild = """
            CREATE TABLE "_filix_new_items" ("id" INTEGER NOT NULL PRIMARY KEY) STRICT;
            INSERT INTO "_filix_new_items" ("id") SELECT "id" FROM "items";
            DROP TABLE "items";
            ALTER TABLE "_filix_new_items" RENAME TO "items";
            """;
        var domain = new HandSchema("shop",
            ([Items], Items + ";"),
            (["CREATE TABLE \"items\" (\"id\" INTEGER NOT NULL PRIMARY KEY) STRICT"], Rebuild),
            ([Items, "CREATE TABLE \"other\" (\"id\" INTEGER NOT NULL PRIMARY KEY) STRICT"], "CREATE TABLE \"other\" (\"id\" INTEGER NOT NULL PRIMARY KEY) STRICT;"),
            ([Items], "INSERT INTO \"nowhere\" VALUES (1);"));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));
        SqliteDump.Execute(path, "INSERT INTO items VALUES (1, 'a.'); CREATE VIEW named AS SELECT name FROM items");
        messages.Add((await Assert.ThrowsAsync<FilixException>(() => SqliteMigrations.MigrateAsync(path, domain.At(2)))).Message);
        SqliteDump.Execute(path, "DROP VIEW named");

        // A migration whose statements build another schema than the code's; one whose statement fails.
        var selfCheck = new HandSchema("shop", ([Items], Items + ";"), (["CREATE TABLE \"items\" (\"id\" INTEGER NOT NULL PRIMARY KEY) STRICT"], "SELECT 1;"));
        messages.Add((await Assert.ThrowsAsync<FilixException>(() => SqliteMigrations.MigrateAsync(path, selfCheck.At(2)))).Message);
        var failing = new HandSchema("shop", ([Items], Items + ";"), ([Items], "INSERT INTO \"nowhere\" VALUES (1);"));
        messages.Add((await Assert.ThrowsAsync<FilixException>(() => SqliteMigrations.MigrateAsync(path, failing.At(2)))).Message);

        // Data checks: NULLs, conversions, duplicates over several columns, in a migration that renames.
        using var history = new TestHistory();
        var library = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(library, history.RecordVersion(1));
        SqliteUpgradeTests.Fill(library);
        SqliteDump.Execute(library, "UPDATE books SET notes = 'x.' WHERE id < 10");
        foreach (var yaml in new[]
                 {
                     TestHistory.Version(1).Replace("notes: { type: text, nullable: true }", "notes: text").Replace("domain: library", "domain: library\nallow_destructive: [books.notes]"),
                     TestHistory.Version(1).Replace("notes: { type: text, nullable: true }", "notes: { type: real, nullable: true }").Replace("domain: library", "domain: library\nallow_destructive: [books.notes]"),
                     TestHistory.Version(1).Replace("  books:\n    sync: sync", "  volumes:\n    sync: sync\n    renamed_from: books").Replace("      - [title]", "      - { columns: [flag, title], unique: true }"),
                 })
        {
            SqliteDump.Execute(library, "UPDATE books SET title = 'same' WHERE id < 20");
            Directory.Delete(Path.Combine(history.HistoryDir, "library"), recursive: true);
            history.Record(TestHistory.Version(1));
            Assert.Empty(history.Record(yaml).Diagnostics);
            messages.Add((await Assert.ThrowsAsync<FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(library, history.Schema()))).Message);
        }

        Assert.Equal(6, messages.Count);
        // Quoted values and paths are the data's own ('x.' is a value ending in a full stop): the text around them is scanned.
        var quoted = new Regex("""'(?:[^']|'')*'""");
        var doubled = new Regex("""[.,;:!?]["')\]]*[.,;:!?]""");
        Assert.All(messages, m => Assert.False(doubled.IsMatch(quoted.Replace(m, "'…'")), $"doubled punctuation at '{doubled.Match(quoted.Replace(m, "'…'")).Value}' in: {m}"));
    }
}

using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Migrations.Tests;

/// <summary>
/// Views and triggers the user made (outside Filix) across a migration that rebuilds their table. The migrations
/// are written by hand in the shape the generator's files have: renames first, then the rebuild
/// (<c>_filix_new_</c> table, copy, drop, rename), so the runtime is tested on its own.
/// </summary>
public sealed class ViewTriggerTests
{
    private const string Books = "CREATE TABLE \"books\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"title\" TEXT NOT NULL, \"notes\" TEXT, \"price\" INTEGER) STRICT";

    /// <summary>The 12-step rebuild of <paramref name="table"/> into <paramref name="create"/> (a CREATE of
    /// <c>_filix_new_&lt;table&gt;</c>), copying <paramref name="columns"/> from <paramref name="select"/>.</summary>
    private static string Rebuild(string table, string create, string columns, string select) => $"""
        -- Rebuild "{table}"
        {create};
        INSERT INTO "_filix_new_{table}" ({columns})
            SELECT {select}
            FROM "{table}";
        DROP TABLE "{table}";
        ALTER TABLE "_filix_new_{table}" RENAME TO "{table}";
        """;

    [Fact]
    public async Task A_view_on_a_rebuilt_table_survives_the_rebuild()
    {
        using var folder = Filix.Testing.TempDirectory.Create("views");
        var realPrice = Books.Replace("\"price\" INTEGER", "\"price\" REAL");
        var domain = new HandSchema("shop",
            ([Books], Books + ";"),
            ([realPrice], Rebuild("books", realPrice.Replace("\"books\"", "\"_filix_new_books\""), "\"id\", \"title\", \"notes\", \"price\"", "\"id\", \"title\", \"notes\", CAST(\"price\" AS REAL)")));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));
        SqliteDump.Execute(path, "INSERT INTO books VALUES (1, 'Cheap', NULL, 5), (2, 'Dear', NULL, 50); CREATE VIEW cheap AS SELECT title FROM books WHERE price < 10");

        await SqliteMigrations.MigrateAsync(path, domain.At(2));
        Assert.Equal(["Cheap"], SqliteDump.Rows(path, "SELECT title FROM cheap"));
        Assert.Equal(["real"], SqliteDump.Rows(path, "SELECT typeof(price) FROM books WHERE id = 1"));
    }

    [Fact]
    public async Task A_trigger_on_a_table_renamed_and_rebuilt_in_one_migration_survives()
    {
        using var folder = Filix.Testing.TempDirectory.Create("views");
        var volumes = Books.Replace("\"books\"", "\"volumes\"").Replace("\"price\" INTEGER", "\"price\" REAL");
        var domain = new HandSchema("shop",
            ([Books], Books + ";"),
            ([volumes], "ALTER TABLE \"books\" RENAME TO \"volumes\";\n" +
                        Rebuild("volumes", volumes.Replace("\"volumes\"", "\"_filix_new_volumes\""), "\"id\", \"title\", \"notes\", \"price\"", "\"id\", \"title\", \"notes\", CAST(\"price\" AS REAL)")));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));
        SqliteDump.Execute(path, "INSERT INTO books VALUES (1, 'A', NULL, 5); CREATE TRIGGER touched AFTER UPDATE OF title ON books BEGIN UPDATE books SET notes = 'touched' WHERE id = new.id; END");

        await SqliteMigrations.MigrateAsync(path, domain.At(2));
        Assert.Equal(["volumes"], SqliteDump.Rows(path, "SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name = 'touched'"));
        SqliteDump.Execute(path, "UPDATE volumes SET title = 'B' WHERE id = 1");
        Assert.Equal(["B|touched"], SqliteDump.Rows(path, "SELECT title, notes FROM volumes"));
    }

    [Fact]
    public async Task A_trigger_that_mentions_a_renamed_column_is_rewritten_and_updates_work_after()
    {
        using var folder = Filix.Testing.TempDirectory.Create("views");
        var remarks = Books.Replace("\"notes\"", "\"remarks\"").Replace("\"price\" INTEGER", "\"price\" REAL");
        var domain = new HandSchema("shop",
            ([Books], Books + ";"),
            ([remarks], "ALTER TABLE \"books\" RENAME COLUMN \"notes\" TO \"remarks\";\n" +
                        Rebuild("books", remarks.Replace("\"books\"", "\"_filix_new_books\""), "\"id\", \"title\", \"remarks\", \"price\"", "\"id\", \"title\", \"remarks\", CAST(\"price\" AS REAL)")));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));
        SqliteDump.Execute(path, "INSERT INTO books VALUES (1, 'A', NULL, 5); CREATE TRIGGER touched AFTER UPDATE OF title ON books BEGIN UPDATE books SET notes = 'touched' WHERE id = new.id; END");

        await SqliteMigrations.MigrateAsync(path, domain.At(2));
        Assert.Contains("remarks", SqliteDump.Rows(path, "SELECT sql FROM sqlite_schema WHERE name = 'touched'")[0]);
        SqliteDump.Execute(path, "UPDATE books SET title = 'B' WHERE id = 1");
        Assert.Equal(["B|touched"], SqliteDump.Rows(path, "SELECT title, remarks FROM books"));
    }

    [Fact]
    public async Task A_view_on_a_dropped_column_stops_the_migration_before_anything_changes_and_is_named()
    {
        using var folder = Filix.Testing.TempDirectory.Create("views");
        var withoutNotes = Books.Replace(", \"notes\" TEXT", string.Empty);
        var domain = new HandSchema("shop",
            ([Books], Books + ";"),
            ([withoutNotes], Rebuild("books", withoutNotes.Replace("\"books\"", "\"_filix_new_books\""), "\"id\", \"title\", \"price\"", "\"id\", \"title\", \"price\"")));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));
        SqliteDump.Execute(path, "INSERT INTO books VALUES (1, 'A', 'n', 5); CREATE VIEW noted AS SELECT title, notes FROM books");
        var before = SqliteDump.Schema(path);

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteMigrations.MigrateAsync(path, domain.At(2)));
        Assert.Equal(
            $"Migration 0002_step_2 cannot be applied to '{path}': the view \"noted\" no longer works after it (SQLite: error in view noted: no such column: notes). " +
            "Nothing was changed. The view is not part of the Filix schema: change it or drop it (DROP VIEW \"noted\"), then open the database again.",
            error.Message);
        Assert.Equal(before, SqliteDump.Schema(path));
        Assert.Equal(["A|n"], SqliteDump.Rows(path, "SELECT * FROM noted"));
        Assert.Equal(["0001"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations"));
    }

    [Fact]
    public async Task A_view_and_a_trigger_on_a_dropped_table_are_not_recreated_and_the_report_says_so()
    {
        using var folder = Filix.Testing.TempDirectory.Create("views");
        const string Shelves = "CREATE TABLE \"shelves\" (\"id\" INTEGER NOT NULL PRIMARY KEY) STRICT";
        var domain = new HandSchema("shop",
            ([Books, Shelves], Books + ";\n" + Shelves + ";"),
            ([Books], "DROP TABLE \"shelves\";"));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));
        SqliteDump.Execute(path, "CREATE VIEW all_shelves AS SELECT id FROM shelves; CREATE TRIGGER shelf_added AFTER INSERT ON shelves BEGIN SELECT 1; END; CREATE VIEW titles AS SELECT title FROM books");

        var report = await SqliteMigrations.MigrateAsync(path, domain.At(2));
        Assert.Equal(
            [
                "view \"all_shelves\" of 0002_step_2 was not recreated: the table \"shelves\" it reads was dropped",
                "trigger \"shelf_added\" of 0002_step_2 was not recreated: its table \"shelves\" was dropped",
            ],
            report.Removed);
        Assert.Equal(["titles"], SqliteDump.Rows(path, "SELECT name FROM sqlite_schema WHERE type IN ('view', 'trigger')"));
    }

    [Fact]
    public async Task An_instead_of_trigger_on_a_view_of_a_rebuilt_table_survives_with_its_view()
    {
        using var folder = Filix.Testing.TempDirectory.Create("views");
        var realPrice = Books.Replace("\"price\" INTEGER", "\"price\" REAL");
        var domain = new HandSchema("shop",
            ([Books], Books + ";"),
            ([realPrice], Rebuild("books", realPrice.Replace("\"books\"", "\"_filix_new_books\""), "\"id\", \"title\", \"notes\", \"price\"", "\"id\", \"title\", \"notes\", CAST(\"price\" AS REAL)")));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));
        SqliteDump.Execute(path, "CREATE VIEW titles AS SELECT id, title FROM books; CREATE TRIGGER add_title INSTEAD OF INSERT ON titles BEGIN INSERT INTO books (id, title) VALUES (new.id, new.title); END");

        var report = await SqliteMigrations.MigrateAsync(path, domain.At(2));
        Assert.Empty(report.Removed);
        SqliteDump.Execute(path, "INSERT INTO titles (id, title) VALUES (7, 'Seven')");
        Assert.Equal(["7|Seven"], SqliteDump.Rows(path, "SELECT id, title FROM books"));
    }
}

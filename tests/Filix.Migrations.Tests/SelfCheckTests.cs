using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Migrations.Tests;

/// <summary>Before COMMIT the migrated file must have the schema a fresh database of the code's schema has.</summary>
public sealed class SelfCheckTests
{
    private const string Items = "CREATE TABLE \"items\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL) STRICT";

    [Fact]
    public async Task A_migration_that_builds_something_else_than_the_schema_is_not_committed_and_the_differences_are_listed()
    {
        using var folder = Filix.Testing.TempDirectory.Create("selfcheck");
        var domain = new HandSchema("shop",
            ([Items], Items + ";"),
            ([
                "CREATE TABLE \"items\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL, \"size\" INTEGER NOT NULL DEFAULT 0) STRICT",
                "CREATE INDEX \"ix_items_name\" ON \"items\" (\"name\")",
             ],
             // Runs cleanly, but adds a nullable column without its default and forgets the index.
             "ALTER TABLE \"items\" ADD COLUMN \"size\" INTEGER;"));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));
        var before = SqliteDump.Schema(path);

        var error = await Assert.ThrowsAsync<FilixException>(() => SqliteMigrations.MigrateAsync(path, domain.At(2)));
        Assert.Contains($"Migrations 0002_step_2 ran on '{path}' but would leave a schema that differs from a new database of shop.filix.yaml", error.Message);
        Assert.Contains("missing column items.size (INTEGER NOT NULL DEFAULT 0)", error.Message);
        Assert.Contains("unexpected column items.size (INTEGER)", error.Message);
        Assert.Contains("missing index ix_items_name on items (name)", error.Message);
        Assert.Contains("Nothing was changed", error.Message);
        Assert.Equal(before, SqliteDump.Schema(path));
        Assert.Equal(["0001"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations"));
    }

    [Fact]
    public async Task Columns_are_compared_by_name_so_an_added_column_listed_first_in_the_schema_is_no_difference()
    {
        using var folder = Filix.Testing.TempDirectory.Create("selfcheck");
        var domain = new HandSchema("shop",
            ([Items], Items + ";"),
            (["CREATE TABLE \"items\" (\"size\" INTEGER, \"id\" INTEGER NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL) STRICT"],
             "ALTER TABLE \"items\" ADD COLUMN \"size\" INTEGER;"));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));

        await SqliteMigrations.MigrateAsync(path, domain.At(2));
        Assert.Equal(["0001", "0002"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations ORDER BY id"));
    }

    [Fact]
    public async Task A_table_of_the_users_own_that_no_migration_touches_is_left_alone()
    {
        using var folder = Filix.Testing.TempDirectory.Create("selfcheck");
        var domain = new HandSchema("shop",
            ([Items], Items + ";"),
            (["CREATE TABLE \"items\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL, \"size\" INTEGER) STRICT"],
             "ALTER TABLE \"items\" ADD COLUMN \"size\" INTEGER;"));
        var path = domain.PathIn(folder.Path);
        await SqliteMigrations.MigrateAsync(path, domain.At(1));
        SqliteDump.Execute(path, "CREATE TABLE notes (body TEXT)");

        await SqliteMigrations.MigrateAsync(path, domain.At(2));
        Assert.Equal(["0001", "0002"], SqliteDump.Rows(path, "SELECT id FROM _filix_migrations ORDER BY id"));
    }
}

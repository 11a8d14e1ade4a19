using Filix.Runtime.Migrations;
using Filix.Testing.Postgres;
using static Filix.Migrations.Tests.PostgresDump;

namespace Filix.Migrations.Tests;

/// <summary>Foreign keys in any declaration order: a reference to a table declared later, a cycle of two tables
/// and a self reference apply on Postgres (which checks a REFERENCES target when the table is created) through the
/// generated DDL and through the migrations, and stay inline and byte-identical in SQLite.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class ForeignKeyOrderTests(PostgresFixture postgres)
{
    // orders -> customers is a forward reference; customers.last_order_id -> orders closes a cycle;
    // employees.manager_id is a self reference.
    private const string Shop = """
        domain: library
        tables:
          orders:
            sync: sync
            columns:
              id: { type: integer, primary_key: true }
              customer_id: { type: integer, references: customers.id }
              taken_by: { type: integer, nullable: true, references: employees.id }
          customers:
            sync: sync
            columns:
              id: { type: integer, primary_key: true }
              last_order_id: { type: integer, nullable: true, references: orders.id }
          employees:
            sync: sync
            columns:
              id: { type: integer, primary_key: true }
              manager_id: { type: integer, nullable: true, references: employees.id }
        """;

    [Fact]
    public async Task A_forward_reference_a_cycle_and_a_self_reference_apply_through_the_DDL_and_the_initial_migration()
    {
        using var history = new TestHistory();
        Assert.Empty(history.Record(Shop).Diagnostics);
        var schema = history.Schema();

        await using var fromDdl = await OpenAsync(await postgres.CreateDatabaseAsync("fk_ddl"));
        await ExecuteAsync(fromDdl, string.Join(";\n", schema.PostgresDdl));
        await using var migrated = await OpenAsync(await postgres.CreateDatabaseAsync("fk_migrated"));
        await PostgresMigrations.MigrateAsync(migrated, schema);

        var expected = await SchemaAsync(fromDdl);
        Assert.Equal(expected, await SchemaAsync(migrated));
        Assert.Equal(
            ["customers|customers_last_order_id_fkey|FOREIGN KEY (last_order_id) REFERENCES orders(id) DEFERRABLE INITIALLY DEFERRED",
             "employees|employees_manager_id_fkey|FOREIGN KEY (manager_id) REFERENCES employees(id) DEFERRABLE INITIALLY DEFERRED",
             "orders|orders_customer_id_fkey|FOREIGN KEY (customer_id) REFERENCES customers(id) DEFERRABLE INITIALLY DEFERRED",
             "orders|orders_taken_by_fkey|FOREIGN KEY (taken_by) REFERENCES employees(id) DEFERRABLE INITIALLY DEFERRED"],
            await RowsAsync(migrated, "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2"));

        // The keys hold: rows of the cycle go in as one unit, checked at COMMIT; a dangling key is refused.
        foreach (var database in new[] { fromDdl, migrated })
        {
            await ExecuteAsync(database, "BEGIN; INSERT INTO customers VALUES (1, 10); INSERT INTO orders VALUES (10, 1, NULL); COMMIT");
            var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => ExecuteAsync(database, "INSERT INTO orders VALUES (11, 99, NULL)"));
            Assert.Equal("23503", error.SqlState);
        }

        // SQLite takes forward references and cycles inline, as it always has.
        Assert.Contains("\"customer_id\" INTEGER NOT NULL REFERENCES \"customers\" (\"id\")", schema.SqliteDdl[0]);
        Assert.Equal(3, schema.SqliteDdl.Count);
    }

    [Fact]
    public async Task Foreign_key_names_are_the_ones_Postgres_gives_cut_to_63_bytes_and_numbered_when_they_collide()
    {
        var table = "orders_of_customers_" + new string('x', 30) + "_é";
        var columns = new[] { "customer_reference_" + new string('y', 30) + "_first", "customer_reference_" + new string('y', 30) + "_second", "id" };
        await using var database = await OpenAsync(await postgres.CreateDatabaseAsync("fk_names"));
        await ExecuteAsync(database, "CREATE TABLE parent (id bigint PRIMARY KEY); CREATE TABLE \"" + table + "\" (" +
            string.Join(", ", columns.Select(c => $"\"{c}\" bigint REFERENCES parent (id)")) + ")");

        var taken = new HashSet<string>();
        var ours = columns.Select(c => Filix.Generators.Sql.DdlBuilder.ForeignKeyName(table, c, taken)).ToList();
        Assert.All(ours, name => Assert.True(System.Text.Encoding.UTF8.GetByteCount(name) <= 63, name));
        Assert.Equal(
            (await RowsAsync(database, $"SELECT conname FROM pg_constraint WHERE contype = 'f' ORDER BY conkey")).Order(StringComparer.Ordinal),
            ours.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_migration_adding_a_cycle_between_new_tables_and_a_column_referencing_one_of_them_applies_and_dropping_it_too()
    {
        using var history = new TestHistory();
        const string v1 = """
            domain: library
            tables:
              employees:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
            """;
        var v2 = v1 + """

              teams:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  lead_id: { type: integer, nullable: true, references: members.id }
              members:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  team_id: { type: integer, references: teams.id }
            """;
        v2 = v2.Replace("      id: { type: integer, primary_key: true }\n  teams:",
            "      id: { type: integer, primary_key: true }\n      member_id: { type: integer, nullable: true, references: members.id }\n  teams:");

        await using var upstream = await OpenAsync(await postgres.CreateDatabaseAsync("fk_cycle"));
        var path = history.DatabasePath();
        Assert.Empty(history.Record(v1).Diagnostics);
        await PostgresMigrations.MigrateAsync(upstream, history.Schema());
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema());
        await ExecuteAsync(upstream, "INSERT INTO employees VALUES (1), (2)");
        SqliteDump.Execute(path, "INSERT INTO employees VALUES (1), (2)");

        var recorded = history.Record(v2);
        Assert.True(recorded.Diagnostics.Count == 0, string.Join("\n", recorded.Diagnostics));
        var schema = history.Schema();
        await PostgresMigrations.MigrateAsync(upstream, schema);
        await SqliteUpgradeTests.OpenAndCloseAsync(path, schema);

        await using var fresh = await OpenAsync(await postgres.CreateDatabaseAsync("fk_cycle_fresh"));
        await ExecuteAsync(fresh, string.Join(";\n", schema.PostgresDdl));
        Assert.Equal(await SchemaAsync(fresh), await SchemaAsync(upstream));
        Assert.Equal(["2"], await RowsAsync(upstream, "SELECT count(*) FROM employees"));

        var freshFile = history.DatabasePath("fresh.db");
        await SqliteUpgradeTests.OpenAndCloseAsync(freshFile, history.Schema(withMigrations: false));
        Assert.Equal(SqliteDump.Schema(freshFile), SqliteDump.Schema(path));
        Assert.Equal(2, SqliteDump.Count(path, "SELECT count(*) FROM employees"));

        // The cycle goes away again, with rows in it: Postgres refuses to drop a table another one still references.
        await ExecuteAsync(upstream, "BEGIN; INSERT INTO teams VALUES (1, 5); INSERT INTO members VALUES (5, 1); UPDATE employees SET member_id = 5; COMMIT");
        var v3 = v1.Replace("domain: library", "domain: library\nallow_destructive: [teams, members, employees.member_id]");
        var dropped = history.Record(v3);
        Assert.True(dropped.Diagnostics.Count == 0, string.Join("\n", dropped.Diagnostics));
        await PostgresMigrations.MigrateAsync(upstream, history.Schema());
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema());
        Assert.Equal(["0"], await RowsAsync(upstream, "SELECT count(*) FROM pg_tables WHERE tablename IN ('teams', 'members')"));
        Assert.Equal(0, SqliteDump.Count(path, "SELECT count(*) FROM sqlite_schema WHERE name IN ('teams', 'members')"));
    }

    [Fact]
    public async Task A_reference_to_a_column_that_becomes_the_key_in_the_same_migration_applies_on_both_dialects()
    {
        // From the randomized test's author: golf's key changes to (tenant) and a new column references golf.tenant
        // in the same migration; the reference needs the new key (or unique constraint) to exist first.
        const string v1 = """
            domain: library
            tables:
              golf:
                sync: sync
                primary_key: [tenant, seq]
                columns:
                  tenant: { type: text }
                  seq: { type: integer }
              hotel:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
            """;
        const string v2 = """
            domain: library
            tables:
              golf:
                sync: sync
                columns:
                  tenant: { type: text, primary_key: true }
                  seq: { type: integer }
                  parent: { type: text, nullable: true, references: golf.tenant }
              hotel:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  golf: { type: text, nullable: true, references: golf.tenant }
            """;
        using var history = new TestHistory();
        await using var upstream = await OpenAsync(await postgres.CreateDatabaseAsync("fk_new_key"));
        var path = history.DatabasePath();
        Assert.Empty(history.Record(v1).Diagnostics);
        await PostgresMigrations.MigrateAsync(upstream, history.Schema());
        await SqliteUpgradeTests.OpenAndCloseAsync(path, history.Schema());
        const string fill = "INSERT INTO golf (tenant, seq) VALUES ('a', 1), ('b', 1); INSERT INTO hotel (id) VALUES (1)";
        await ExecuteAsync(upstream, fill);
        SqliteDump.Execute(path, fill);

        var recorded = history.Record(v2);
        Assert.True(recorded.Diagnostics.Count == 0, string.Join("\n", recorded.Diagnostics));
        var schema = history.Schema();
        await PostgresMigrations.MigrateAsync(upstream, schema);
        await SqliteUpgradeTests.OpenAndCloseAsync(path, schema);

        await using var fresh = await OpenAsync(await postgres.CreateDatabaseAsync("fk_new_key_fresh"));
        await ExecuteAsync(fresh, string.Join(";\n", schema.PostgresDdl));
        Assert.Equal(await SchemaAsync(fresh), await SchemaAsync(upstream));
        var freshFile = history.DatabasePath("fresh.db");
        await SqliteUpgradeTests.OpenAndCloseAsync(freshFile, history.Schema(withMigrations: false));
        Assert.Equal(SqliteDump.Schema(freshFile), SqliteDump.Schema(path));
        Assert.Equal(["a", "b"], await RowsAsync(upstream, "SELECT tenant FROM golf ORDER BY tenant"));
    }
}

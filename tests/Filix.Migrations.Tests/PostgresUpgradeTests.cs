using System.Text;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Filix.Testing.Postgres;
using Npgsql;

namespace Filix.Migrations.Tests;

/// <summary>The same history applied to a real Postgres upstream (shared tables only), in the domain's own schema
/// <c>library</c>; the tests' own SQL names it or sets its search_path to it.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresUpgradeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Upgrading_the_upstream_through_three_versions_keeps_every_row_and_equals_a_fresh_one()
    {
        using var history = new TestHistory();
        await using var upstream = await OpenNewDatabaseAsync("upgrade");
        await PostgresMigrations.MigrateAsync(upstream, history.RecordVersion(1));
        await ExecuteAsync(upstream, "SET search_path TO library");
        await ExecuteAsync(upstream,
            "INSERT INTO authors (id, name, born) SELECT 'author-' || i, 'Author ' || i, 1900 + i FROM generate_series(0, 49) i;" +
            "INSERT INTO books (id, author_id, title, price, notes, flag) SELECT i, 'author-' || (i % 50), 'Title ' || i, " +
            "CASE WHEN i % 2 = 0 THEN i * 10 END, CASE WHEN i % 2 = 1 THEN 'note ' || i END, i % 2 = 1 FROM generate_series(1, 400) i;");

        Assert.Single((await PostgresMigrations.MigrateAsync(upstream, history.RecordVersion(2))).Pending);
        await ExecuteAsync(upstream, "INSERT INTO tags (book_id, tag) SELECT id, 'tag ' || id FROM books");
        await PostgresMigrations.MigrateAsync(upstream, history.RecordVersion(3));
        Assert.Equal(200L, await ScalarAsync(upstream, "SELECT count(*) FROM books WHERE notes = ''"));
        var v4 = history.RecordVersion(4);
        await PostgresMigrations.MigrateAsync(upstream, v4);

        Assert.Equal(400L, await ScalarAsync(upstream, "SELECT count(*) FROM books WHERE price IS NOT DISTINCT FROM CASE WHEN id % 2 = 0 THEN id * 10.0 END"));
        Assert.Equal(50L, await ScalarAsync(upstream, "SELECT count(*) FROM authors WHERE full_name LIKE 'Author %'"));
        Assert.Equal(400L, await ScalarAsync(upstream, "SELECT count(*) FROM tags WHERE weight = 1"));
        Assert.Equal(4L, await ScalarAsync(upstream, "SELECT count(*) FROM _filix_migrations WHERE domain = 'library'"));
        Assert.Empty((await PostgresMigrations.StatusAsync(upstream, v4)).Pending);

        await using var fresh = await OpenNewDatabaseAsync("fresh");
        await ExecuteAsync(fresh, "CREATE SCHEMA library; SET search_path TO library;\n" + string.Join(";\n", v4.PostgresDdl));
        Assert.Equal(await DumpAsync(fresh), await DumpAsync(upstream));
    }

    [Fact]
    public async Task An_upstream_whose_search_path_is_another_schema_still_gets_the_domain_in_its_own_schema_and_keeps_its_search_path()
    {
        using var history = new TestHistory();
        await using var upstream = await OpenNewDatabaseAsync("app_schema");
        await ExecuteAsync(upstream, "CREATE SCHEMA app; SET search_path TO app");

        Assert.Single((await PostgresMigrations.MigrateAsync(upstream, history.RecordVersion(1))).Pending);
        var v2 = history.RecordVersion(2);
        Assert.Single((await PostgresMigrations.MigrateAsync(upstream, v2)).Pending);
        Assert.Empty((await PostgresMigrations.StatusAsync(upstream, v2)).Pending);

        Assert.Equal(2L, await ScalarAsync(upstream, "SELECT count(*) FROM library._filix_migrations"));
        Assert.Equal(0L, await ScalarAsync(upstream, "SELECT count(*) FROM pg_class WHERE relnamespace = 'app'::regnamespace"));
        Assert.Equal("app", await ScalarAsync(upstream, "SHOW search_path"));
    }

    [Fact]
    public async Task An_upstream_laid_out_by_an_earlier_Filix_is_refused_with_the_statements_that_move_it_and_they_work()
    {
        using var history = new TestHistory();
        await using var upstream = await OpenNewDatabaseAsync("earlier_layout");
        var v1 = history.RecordVersion(1);

        // What the earlier Filix left: the tables in the connection's schema (public), and one history keyed by
        // domain beside them holding another domain's row too.
        await ExecuteAsync(upstream, v1.Migrations[0].PostgresSql);
        await ExecuteAsync(upstream,
            "CREATE TABLE _filix_migrations (domain text NOT NULL, id text NOT NULL, name text NOT NULL, checksum text NOT NULL, " +
            "applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (domain, id));" +
            $"INSERT INTO _filix_migrations (domain, id, name, checksum) VALUES ('library', '0001', 'initial', '{v1.Migrations[0].Checksum}'), ('other', '0001', 'initial', 'x');" +
            "INSERT INTO authors (id, name) VALUES ('a1', 'Ann')");
        var v2 = history.RecordVersion(2);

        foreach (var attempt in new Func<Task>[] { () => PostgresMigrations.MigrateAsync(upstream, v2), () => PostgresMigrations.StatusAsync(upstream, v2) })
        {
            var error = await Assert.ThrowsAsync<FilixException>(attempt);
            Assert.Contains("holds domain 'library' as an earlier Filix laid it out: its history (1 migration applied, the last 0001_initial) is in \"public\".\"_filix_migrations\"", error.Message);
            Assert.Contains("this build's tables of 'library' found there: authors, books)", error.Message);
            Assert.Contains("its own Postgres schema, \"library\"", error.Message);
            Assert.Contains("Nothing was changed.", error.Message);
            Assert.Contains("ALTER TABLE \"public\".\"authors\" SET SCHEMA \"library\"; ALTER TABLE \"public\".\"books\" SET SCHEMA \"library\";", error.Message);
        }

        Assert.Equal(0L, await ScalarAsync(upstream, "SELECT count(*) FROM pg_namespace WHERE nspname = 'library'"));

        // The statements the message gives move the domain; then the upstream migrates from where it was.
        var message = (await Assert.ThrowsAsync<FilixException>(() => PostgresMigrations.MigrateAsync(upstream, v2))).Message;
        var start = message.IndexOf("BEGIN;", StringComparison.Ordinal);
        await ExecuteAsync(upstream, message[start..(message.IndexOf("COMMIT;", start, StringComparison.Ordinal) + "COMMIT;".Length)]);

        var report = await PostgresMigrations.MigrateAsync(upstream, v2);
        Assert.Equal(["0001"], report.Applied.Select(a => a.Id));
        Assert.Equal(["0002"], report.Pending.Select(m => m.Id));
        Assert.Equal(1L, await ScalarAsync(upstream, "SELECT count(*) FROM library.authors WHERE id = 'a1'"));
        Assert.Equal("other", await ScalarAsync(upstream, "SELECT string_agg(domain, ',') FROM public._filix_migrations"));
    }

    [Fact]
    public async Task A_role_granted_only_its_domains_schema_migrates_it_without_the_right_to_create_schemas()
    {
        using var history = new TestHistory();
        var connectionString = await postgres.CreateDatabaseAsync("granted");
        await using var admin = await OpenAsync(connectionString);
        var role = "owner_" + admin.Database; // roles are per cluster, databases per test
        await ExecuteAsync(admin, $"CREATE ROLE {role} LOGIN; CREATE SCHEMA other; CREATE TABLE other._filix_migrations (domain text NOT NULL, id text NOT NULL)");

        // The role may not create schemas (no CREATE on the database) nor read the other schema's history.
        await using var owner = await OpenAsync(new NpgsqlConnectionStringBuilder(connectionString) { Username = role }.ConnectionString);
        var v1 = history.RecordVersion(1);
        var error = await Assert.ThrowsAsync<FilixException>(() => PostgresMigrations.MigrateAsync(owner, v1));
        Assert.Contains($"has no schema \"library\" for domain 'library', and user '{role}' may not create it (permission denied for database {admin.Database}). Nothing was changed.", error.Message);
        Assert.Contains($"CREATE SCHEMA \"library\" AUTHORIZATION \"{role}\";", error.Message);

        await ExecuteAsync(admin, $"CREATE SCHEMA library AUTHORIZATION {role}");
        Assert.Single((await PostgresMigrations.MigrateAsync(owner, v1)).Pending);
        Assert.Empty((await PostgresMigrations.MigrateAsync(owner, v1)).Pending);

        Assert.Equal(1L, await ScalarAsync(admin, "SELECT count(*) FROM library._filix_migrations"));
        Assert.Equal(role, await ScalarAsync(admin, "SELECT tableowner FROM pg_tables WHERE schemaname = 'library' AND tablename = 'books'"));
    }

    [Fact]
    public async Task Tables_that_become_shared_are_created_upstream_before_what_references_them_and_drops_go_children_first()
    {
        using var history = new TestHistory();
        await using var upstream = await OpenNewDatabaseAsync("sync_order");
        const string v1 = """
            domain: library
            tables:
              shelves:
                sync: local
                columns:
                  id: { type: text, primary_key: true }
              books:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  title: text
            """;

        // The shelves become shared while a new shared table and a new column of books reference them.
        const string v2 = """
            domain: library
            tables:
              shelves:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
              books:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  title: text
                  shelf_id: { type: text, nullable: true, references: shelves.id }
              labels:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  shelf_id: { type: text, references: shelves.id }
            """;

        // Every table referenced by another goes away: the children must be dropped first.
        const string v3 = """
            domain: library
            allow_destructive: [shelves, labels, books.shelf_id]
            tables:
              books:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  title: text
            """;

        foreach (var yaml in new[] { v1, v2, v3 })
        {
            var recorded = history.Record(yaml);
            Assert.True(recorded.Diagnostics.Count == 0, string.Join("\n", recorded.Diagnostics));
            await PostgresMigrations.MigrateAsync(upstream, history.Schema());
        }

        Assert.Equal(3L, await ScalarAsync(upstream, "SELECT count(*) FROM library._filix_migrations"));
        Assert.Equal(0L, await ScalarAsync(upstream, "SELECT count(*) FROM pg_tables WHERE tablename IN ('shelves', 'labels')"));
    }

    [Fact]
    public async Task Timestamps_and_dates_turned_into_text_read_as_SQLite_stores_them_whatever_the_session_settings()
    {
        using var history = new TestHistory();
        await using var upstream = await OpenNewDatabaseAsync("to_text");
        const string v1 = """
            domain: library
            tables:
              visits:
                sync: sync
                columns:
                  id: { type: integer, primary_key: true }
                  at: timestamp
                  day: date
            """;
        Assert.Empty(history.Record(v1).Diagnostics);
        await PostgresMigrations.MigrateAsync(upstream, history.Schema());
        await ExecuteAsync(upstream, "INSERT INTO library.visits VALUES (1, '2024-01-31 12:00:00.123456+00', '2024-01-31')");

        // Settings that change how Postgres prints a timestamp or a date as text.
        await ExecuteAsync(upstream, "SET TimeZone = 'America/New_York'; SET DateStyle = 'SQL, DMY'");
        Assert.Empty(history.Record(v1.Replace("at: timestamp", "at: text").Replace("day: date", "day: text")).Diagnostics);
        await PostgresMigrations.MigrateAsync(upstream, history.Schema());

        Assert.Equal("2024-01-31T12:00:00.1234560Z", await ScalarAsync(upstream, "SELECT at FROM library.visits"));
        Assert.Equal("2024-01-31", await ScalarAsync(upstream, "SELECT day FROM library.visits"));
    }

    [Fact]
    public async Task Concurrent_migrators_apply_once_and_a_newer_upstream_is_refused()
    {
        using var history = new TestHistory();
        var v1 = history.RecordVersion(1);
        var v2 = history.RecordVersion(2);
        var connectionString = await postgres.CreateDatabaseAsync("concurrent");
        await using var first = await OpenAsync(connectionString);
        await using var second = await OpenAsync(connectionString);
        await Task.WhenAll(
            Task.Run(() => PostgresMigrations.MigrateAsync(first, v2)),
            Task.Run(() => PostgresMigrations.MigrateAsync(second, v2)));
        Assert.Equal(2L, await ScalarAsync(first, "SELECT count(*) FROM library._filix_migrations"));

        var error = await Assert.ThrowsAsync<FilixException>(() => PostgresMigrations.MigrateAsync(first, v1));
        Assert.Contains("newer than this build", error.Message);
        Assert.Contains("the Postgres upstream", error.Message);
        Assert.Null(error.Path); // an upstream is not a file
    }

    /// <summary>Columns, indexes and constraints of the domain's schema, without names Postgres chose itself.</summary>
    private static async Task<string> DumpAsync(NpgsqlConnection connection)
    {
        var sb = new StringBuilder();
        foreach (var sql in new[]
                 {
                     "SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') FROM information_schema.columns " +
                     "WHERE table_schema = 'library' AND table_name <> '_filix_migrations' ORDER BY 1, 2",
                     "SELECT tablename, regexp_replace(indexdef, 'INDEX \\S+ ON', 'INDEX ON') FROM pg_indexes WHERE schemaname = 'library' " +
                     "AND tablename <> '_filix_migrations' AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY 1, 2",
                     "SELECT conrelid::regclass::text, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'library'::regnamespace " +
                     "AND conrelid::regclass::text NOT LIKE '%_filix_migrations' ORDER BY 1, 2, 3",
                 })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                sb.AppendLine(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
            }
        }

        return sb.ToString();
    }

    private async Task<NpgsqlConnection> OpenNewDatabaseAsync(string stem) => await OpenAsync(await postgres.CreateDatabaseAsync(stem));

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

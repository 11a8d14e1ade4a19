using Filix.Runtime.Migrations;
using Filix.Testing.Postgres;
using Npgsql;

namespace Filix.Migrations.Tests;

/// <summary>Type changes other than text to X: what has no faithful conversion is refused at the YAML line, and
/// what has one gives the same value in both dialects.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class ConversionTests(PostgresFixture postgres)
{
    private const string V1 = """
        domain: library
        allow_destructive: [visits.code]
        tables:
          visits:
            sync: sync
            columns:
              id: { type: integer, primary_key: true }
              at: timestamp
              code: { type: integer, nullable: true }
        """;

    [Theory]
    [InlineData("integer", "date")]
    [InlineData("integer", "uuid")]
    [InlineData("integer", "json")]
    [InlineData("uuid", "integer")]
    [InlineData("blob", "integer")]
    [InlineData("real", "blob")]
    public void A_change_Postgres_cannot_convert_or_that_would_differ_between_the_dialects_is_refused_at_its_line(string from, string to)
    {
        using var history = new TestHistory();
        var yaml = V1.Replace("code: { type: integer", $"code: {{ type: {from}");
        Assert.Empty(history.Record(yaml).Diagnostics);

        var result = history.Record(yaml.Replace($"code: {{ type: {from}", $"code: {{ type: {to}"));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("FLX0106", diagnostic.Id);
        Assert.Contains($"Column 'visits.code' changes from {from} to {to}, which no migration can do safely: ", diagnostic.Message);
        Assert.Empty(result.Files);
    }

    [Fact]
    public async Task A_timestamp_becomes_its_UTC_date_in_SQLite_and_in_Postgres_whatever_the_session_time_zone()
    {
        using var history = new TestHistory();
        Assert.Empty(history.Record(V1).Diagnostics);
        var v1 = history.Schema();
        Assert.Empty(history.Record(V1.Replace("at: timestamp", "at: date").Replace("allow_destructive: [visits.code]", "allow_destructive: [visits.at]")).Diagnostics);
        var v2 = history.Schema();

        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, v1);
        SqliteDump.Execute(path, "INSERT INTO visits (id, at) VALUES (1, '2024-01-31T20:00:00.0000000Z')");
        await SqliteUpgradeTests.OpenAndCloseAsync(path, v2);
        Assert.Equal(["2024-01-31"], SqliteDump.Rows(path, "SELECT at FROM visits"));

        await using var upstream = new NpgsqlConnection(PostgresDump.InLibrary(await postgres.CreateDatabaseAsync("ts_date")));
        await upstream.OpenAsync();
        await PostgresMigrations.MigrateAsync(upstream, v1);
        await using (var setup = new NpgsqlCommand("INSERT INTO visits (id, at) VALUES (1, '2024-01-31T20:00:00Z'); SET TimeZone = 'Pacific/Kiritimati'", upstream))
        {
            await setup.ExecuteNonQueryAsync();
        }

        await PostgresMigrations.MigrateAsync(upstream, v2);
        await using var read = new NpgsqlCommand("SELECT to_char(at, 'YYYY-MM-DD') FROM visits", upstream);
        Assert.Equal("2024-01-31", await read.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("integer", "2")]
    [InlineData("real", "0.5")]
    public async Task Numbers_become_booleans_when_they_are_0_or_1_and_anything_else_is_refused_by_both_checks(string from, string other)
    {
        using var history = new TestHistory();
        var yaml = V1.Replace("code: { type: integer", $"code: {{ type: {from}");
        Assert.Empty(history.Record(yaml).Diagnostics);
        var v1 = history.Schema();
        Assert.Empty(history.Record(yaml.Replace($"code: {{ type: {from}", "code: { type: boolean")).Diagnostics);
        var v2 = history.Schema();

        var path = history.DatabasePath();
        await SqliteUpgradeTests.OpenAndCloseAsync(path, v1);
        await using var upstream = new NpgsqlConnection(PostgresDump.InLibrary(await postgres.CreateDatabaseAsync("to_boolean")));
        await upstream.OpenAsync();
        await PostgresMigrations.MigrateAsync(upstream, v1);
        var rows = $"INSERT INTO visits (id, at, code) VALUES (1, '2024-01-31T20:00:00.0000000Z', 0), (2, '2024-01-31T20:00:00.0000000Z', 1), (3, '2024-01-31T20:00:00.0000000Z', {other})";
        SqliteDump.Execute(path, rows);
        await using (var insert = new NpgsqlCommand(rows, upstream))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var local = await Assert.ThrowsAsync<Filix.Runtime.FilixException>(() => SqliteUpgradeTests.OpenAndCloseAsync(path, v2));
        var remote = await Assert.ThrowsAsync<Filix.Runtime.FilixException>(() => PostgresMigrations.MigrateAsync(upstream, v2));
        foreach (var error in new[] { local, remote })
        {
            Assert.Contains($"column visits.code holds values that do not convert from {from} to boolean alike in SQLite and Postgres (1 row), for example {other}.", error.Message);
        }

        SqliteDump.Execute(path, "DELETE FROM visits WHERE id = 3");
        await using (var delete = new NpgsqlCommand("DELETE FROM visits WHERE id = 3", upstream))
        {
            await delete.ExecuteNonQueryAsync();
        }

        await SqliteUpgradeTests.OpenAndCloseAsync(path, v2);
        await PostgresMigrations.MigrateAsync(upstream, v2);
        Assert.Equal(["1|0", "2|1"], SqliteDump.Rows(path, "SELECT id, code FROM visits ORDER BY id"));
        await using var read = new NpgsqlCommand("SELECT string_agg(id || '|' || code, ',' ORDER BY id) FROM visits", upstream);
        Assert.Equal("1|false,2|true", await read.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Text_becomes_json_in_SQLite_only_when_Postgres_jsonb_would_hold_it_too()
    {
        using var history = new TestHistory();
        var yaml = V1.Replace("code: { type: integer", "code: { type: text");
        Assert.Empty(history.Record(yaml).Diagnostics);
        var v1 = history.Schema();
        Assert.Empty(history.Record(yaml.Replace("code: { type: text", "code: { type: json")).Diagnostics);
        var v2 = history.Schema();
        await using var upstream = new NpgsqlConnection(PostgresDump.InLibrary(await postgres.CreateDatabaseAsync("to_json")));
        await upstream.OpenAsync();

        var wrong = new List<string>();
        var i = 0;
        foreach (var value in new[] { "{\"a\": 1}", "[1, 2.5, \"x\"]", "\"\\u0000\"", "{\"a\": \"\\u0000\"}", "not json", "{\"a\": 1,}", "", " 1 " })
        {
            bool postgresHolds;
            await using (var cast = new NpgsqlCommand("SELECT $1::text::jsonb", upstream) { Parameters = { new() { Value = value } } })
            {
                try
                {
                    await cast.ExecuteScalarAsync();
                    postgresHolds = true;
                }
                catch (PostgresException)
                {
                    postgresHolds = false;
                }
            }

            var path = history.DatabasePath($"json{i++}.db");
            await SqliteUpgradeTests.OpenAndCloseAsync(path, v1);
            using (var connection = SqliteDump.Open(path))
            using (var insert = connection.CreateCommand())
            {
                insert.CommandText = "INSERT INTO visits (id, at, code) VALUES (1, '2024-01-31T20:00:00.0000000Z', $v)";
                insert.Parameters.AddWithValue("$v", value);
                insert.ExecuteNonQuery();
            }

            var refused = false;
            try
            {
                await SqliteMigrations.MigrateAsync(path, v2);
            }
            catch (Filix.Runtime.FilixException ex) when (ex.Message.Contains("do not convert", StringComparison.Ordinal))
            {
                refused = true;
            }

            if (refused == postgresHolds)
            {
                wrong.Add($"'{value}': Postgres {(postgresHolds ? "holds" : "refuses")} it, the SQLite check {(refused ? "refuses" : "accepts")} it");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}

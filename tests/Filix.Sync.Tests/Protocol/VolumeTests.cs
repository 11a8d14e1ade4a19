using System.Diagnostics;
using Filix.Domains.Entities;
using Filix.Testing.Postgres;
using Xunit.Abstractions;

namespace Filix.Sync.Tests.Protocol;

/// <summary>Initial sync of a full machine into an empty one through the bulk paths, in several batches each way
/// (FILIX_SYNC_ROWS sets the size; the rates are printed, the bench project measures them properly).</summary>
[Collection(PostgresFixture.Collection)]
public sealed class VolumeTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task An_initial_sync_moves_every_row_both_ways_in_batches()
    {
        var rows = int.TryParse(Environment.GetEnvironmentVariable("FILIX_SYNC_ROWS"), out var n) ? n : 30_000;
        var upstream = await postgres.CreateDatabaseAsync("volume");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
        await a.Sql($"""
            WITH RECURSIVE i(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM i WHERE x + 1 < {rows / 2})
            INSERT INTO entities (id, type, name, summary, attributes) SELECT 'e:' || x, 'person', 'Name ' || x, 'summary of ' || x, '{"{"}"n": ' || x || '{"}"}' FROM i;
            WITH RECURSIVE i(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM i WHERE x + 1 < {rows / 2})
            INSERT INTO events (entity_id, role, role_type, confidence, start_date) SELECT 'e:' || x, 'role ' || (x % 7), 'tag', x / 3.0, '2026-01-01' FROM i;
            """);

        var clock = Stopwatch.StartNew();
        var pushed = await a.PushAsync();
        var pushSeconds = clock.Elapsed.TotalSeconds;
        Assert.Equal(rows, pushed.Tables.Sum(t => t.Pushed));

        clock.Restart();
        var pulled = await b.PullAsync();
        var pullSeconds = clock.Elapsed.TotalSeconds;
        Assert.Equal(rows, pulled.Tables.Sum(t => t.Pulled));
        output.WriteLine($"{rows} rows: push {rows / pushSeconds:N0} rows/s ({pushSeconds:N2} s), pull {rows / pullSeconds:N0} rows/s ({pullSeconds:N2} s)");

        const string Entities = "SELECT id, type, name, summary, attributes, created_at FROM entities ORDER BY id";
        const string Events = "SELECT entity_id, role, role_type, status, confidence, start_date FROM events ORDER BY 1, 2, 3";
        Assert.Equal(await a.RowsAsync(Entities), await b.RowsAsync(Entities));
        Assert.Equal(await a.RowsAsync(Events), await b.RowsAsync(Events));
        Assert.Equal(0L, await b.ScalarAsync("SELECT count(*) FROM _filix_rows WHERE origin IS NULL"));
    }
}

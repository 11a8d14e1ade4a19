using Filix.Domains.Entities;
using Filix.Testing.Postgres;

namespace Filix.Sync.Tests.Protocol;

/// <summary>Tombstones are compacted once every recent machine is past them; a machine away longer resyncs.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class CompactionTests(PostgresFixture postgres)
{
    private const string Ids = "SELECT id, coalesce(summary, '') FROM entities ORDER BY id";

    [Fact]
    public async Task Tombstones_wait_for_recent_machines_and_a_machine_back_after_the_window_resyncs_without_resurrecting()
    {
        var upstream = await postgres.CreateDatabaseAsync("compaction");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        await using var c = await Machine.OpenAsync("c", EntitiesSchema.Definition, upstream);
        await a.Sql("INSERT INTO entities (id, type, name) VALUES ('r1', 't', '1'), ('r2', 't', '2'), ('r3', 't', '3')");
        await a.SyncAsync();
        await c.SyncAsync();

        // C goes quiet. A deletes r2: the tombstone stays while C, seen lately, has not pulled past it.
        await a.Sql("DELETE FROM entities WHERE id = 'r2'");
        await a.SyncAsync();
        await a.SyncAsync();
        Assert.Equal(1L, await Upstream.ScalarAsync(upstream, "SELECT count(*) FROM entities._filix_tombstones"));

        // C has been away longer than the retention: A's next sync compacts the tombstone and records the horizon.
        await Upstream.ExecuteAsync(upstream, "UPDATE entities._filix_machines SET pulled_at = now() - interval '30 days' WHERE machine = 'c'");
        await a.SyncAsync();
        Assert.Equal(0L, await Upstream.ScalarAsync(upstream, "SELECT count(*) FROM entities._filix_tombstones"));
        Assert.Equal(1L, await Upstream.ScalarAsync(upstream, "SELECT count(*) FROM entities._filix_horizon WHERE tbl = 'entities'"));

        // Meanwhile C edited r3 and added r4 (not pushed yet). Back, it pushes them, sees it is below the horizon and
        // resyncs the table: r2 goes (no tombstone could have told it), its own edits stay.
        await c.Sql("UPDATE entities SET summary = 'c edit' WHERE id = 'r3'; INSERT INTO entities (id, type, name) VALUES ('r4', 't', '4')");
        var report = await c.SyncAsync();
        var entities = report.Tables.Single(t => t.Table == "entities");
        Assert.True(entities.Resynced);
        Assert.Equal(2, entities.Pushed);
        Assert.Equal(["r1|", "r3|c edit", "r4|"], await c.RowsAsync(Ids));
        Assert.Equal(1L, await c.ScalarAsync("SELECT count(*) FROM _filix_rows WHERE pk = '[\"r2\"]' AND deleted = 1"));

        // Nothing came back upstream, and A converges with C.
        Assert.Equal(["r1", "r3", "r4"], await Upstream.RowsAsync(upstream, "SELECT id FROM entities.entities ORDER BY id"));
        await a.SyncAsync();
        Assert.Equal(await c.RowsAsync(Ids), await a.RowsAsync(Ids));

        // The next sync of C is an ordinary pull again.
        Assert.False((await c.SyncAsync()).Tables.Single(t => t.Table == "entities").Resynced);
    }
}

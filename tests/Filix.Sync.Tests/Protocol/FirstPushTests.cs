using Filix.Domains.Entities;
using Filix.Testing.Postgres;

namespace Filix.Sync.Tests.Protocol;

/// <summary>A table's first push goes straight into the upstream table (Engine/PushDirect) only while that is what
/// the merge would do: a key upstream already has, live or as a tombstone, sends the batch through staging and the
/// merge, and a pending delete ends the direct part. Last-write-wins must come out exactly as on the merge path.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class FirstPushTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_first_push_meeting_a_key_upstream_has_goes_through_the_merge_and_the_later_version_wins()
    {
        var upstream = await postgres.CreateDatabaseAsync("first_live");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
        await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'a, older'), ('e:2', 't', 'a only')");
        await b.Sql("INSERT INTO entities (id, type, name) VALUES ('e:0', 't', 'b only'), ('e:1', 't', 'b, newer'), ('e:3', 't', 'b only too')");
        Assert.Equal(2, (await a.PushAsync()).Tables.Single(t => t.Table == "entities").Pushed);

        // B's first push meets e:1 upstream: the COPY straight in is undone, the merge decides, nothing parks.
        var pushed = (await b.PushAsync()).Tables.Single(t => t.Table == "entities");
        Assert.Equal((3L, 0L), (pushed.Pushed, pushed.Parked));
        Assert.Equal(["e:0|b only|b", "e:1|b, newer|b", "e:2|a only|a", "e:3|b only too|b"],
            await Upstream.RowsAsync(upstream, "SELECT id, name, synced_from FROM entities.entities ORDER BY id"));

        // And the other way round: a first push whose version is older than upstream's loses.
        var again = await postgres.CreateDatabaseAsync("first_live_older");
        await using var c = await Machine.OpenAsync("c", EntitiesSchema.Definition, again);
        await using var d = await Machine.OpenAsync("d", EntitiesSchema.Definition, again);
        await d.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'd, older')");
        await c.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'c, newer')");
        await c.PushAsync();
        await d.PushAsync();
        Assert.Equal(["e:1|c, newer|c"], await Upstream.RowsAsync(again, "SELECT id, name, synced_from FROM entities.entities ORDER BY id"));
    }

    [Fact]
    public async Task A_first_push_of_a_key_upstream_deleted_later_does_not_resurrect_it()
    {
        var upstream = await postgres.CreateDatabaseAsync("first_tombstone");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
        await b.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'b, before the delete'), ('e:2', 't', 'b')");
        await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'a')");
        await a.PushAsync();
        await a.Sql("DELETE FROM entities WHERE id = 'e:1'");
        await a.PushAsync();
        Assert.Equal(1L, await Upstream.ScalarAsync(upstream, "SELECT count(*) FROM entities._filix_tombstones WHERE pk = '[\"e:1\"]'"));

        // B's first push: e:1 has no live row upstream (the COPY would take it) but a newer tombstone.
        var pushed = (await b.PushAsync()).Tables.Single(t => t.Table == "entities");
        Assert.Equal(0L, pushed.Parked);
        Assert.Equal(["e:2|b"], await Upstream.RowsAsync(upstream, "SELECT id, name FROM entities.entities ORDER BY id"));
        Assert.Equal(1L, await Upstream.ScalarAsync(upstream, "SELECT count(*) FROM entities._filix_tombstones WHERE pk = '[\"e:1\"]'"));
    }

    [Fact]
    public async Task A_first_push_with_a_delete_among_its_changes_pushes_the_rows_before_and_after_it()
    {
        var upstream = await postgres.CreateDatabaseAsync("first_delete");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        a.BatchSize = 3;
        await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'one'), ('e:2', 't', 'two'), ('e:3', 't', 'three')");
        await a.Sql("DELETE FROM entities WHERE id = 'e:2'");
        await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:4', 't', 'four'), ('e:5', 't', 'five'), ('e:6', 't', 'six')");

        var pushed = (await a.PushAsync()).Tables.Single(t => t.Table == "entities");
        Assert.Equal((6L, 0L), (pushed.Pushed, pushed.Parked));
        Assert.Equal(["e:1", "e:3", "e:4", "e:5", "e:6"], await Upstream.RowsAsync(upstream, "SELECT id FROM entities.entities ORDER BY id"));
        Assert.Equal(1L, await Upstream.ScalarAsync(upstream, "SELECT count(*) FROM entities._filix_tombstones WHERE pk = '[\"e:2\"]'"));
        Assert.Equal(0L, await a.ScalarAsync("SELECT count(*) FROM _filix_rows r JOIN _filix_sync_tables s ON s.tbl = r.tbl WHERE r.tbl = 'entities' AND r.hlc > s.pushed_hlc"));
    }
}

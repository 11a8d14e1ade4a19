using Filix.Domains.Entities;
using Filix.Domains.Papers;
using Filix.Runtime.Sync;
using Filix.Testing.Postgres;

namespace Filix.Sync.Tests.Protocol;

/// <summary>Composite keys with integers, status figures, and cursors bound to one upstream.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class KeysAndStatusTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Composite_keys_with_text_and_integer_columns_travel_and_delete_by_key()
    {
        var upstream = await postgres.CreateDatabaseAsync("composite");
        await using var a = await Machine.OpenAsync("a", PapersSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", PapersSchema.Definition, upstream);
        await a.Sql("""
            INSERT INTO papers (id, title, year) VALUES ('p1', 'One', 2024);
            INSERT INTO paper_authors (paper_id, position, name, family_name, corresponding) VALUES ('p1', 0, 'Jane Doe', 'Doe', 1), ('p1', 1, 'Joe Bloggs', 'Bloggs', 0), ('p1', 2, 'Gone Soon', 'Soon', 0);
            """);
        await a.SyncAsync();
        await b.SyncAsync();
        await b.Sql("DELETE FROM paper_authors WHERE paper_id = 'p1' AND position = 2; UPDATE paper_authors SET orcid = '0000-0002-1825-0097' WHERE position = 0");
        await b.SyncAsync();
        await a.SyncAsync();
        const string Authors = "SELECT paper_id, position, name, orcid, corresponding FROM paper_authors ORDER BY paper_id, position";
        Assert.Equal(["p1|0|Jane Doe|0000-0002-1825-0097|1", "p1|1|Joe Bloggs|∅|0"], await a.RowsAsync(Authors));
        Assert.Equal(await a.RowsAsync(Authors), await b.RowsAsync(Authors));
        Assert.Equal(["[\"p1\",0]", "[\"p1\",1]"], await Upstream.RowsAsync(upstream, "SELECT _filix_pk FROM papers.paper_authors ORDER BY position"));
    }

    [Fact]
    public async Task Status_shows_pending_changes_last_push_and_pull_and_how_far_behind_upstream()
    {
        var upstream = await postgres.CreateDatabaseAsync("status");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
        await b.SyncAsync();
        await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', '1'), ('e:2', 't', '2'), ('e:3', 't', '3')");
        var before = (await FilixSync.StatusAsync(a.Database)).Tables.Single(t => t.Table == "entities");
        Assert.Equal(3, before.PendingLocal);
        Assert.Null(before.LastPush);
        Assert.Null(before.BehindUpstream); // no upstream asked

        await a.SyncAsync();
        var after = (await FilixSync.StatusAsync(a.Database, a.Options)).Tables.Single(t => t.Table == "entities");
        Assert.Equal(0, after.PendingLocal);
        Assert.NotNull(after.LastPush);
        Assert.NotNull(after.LastPull);
        Assert.Equal(0, after.BehindUpstream);

        // B has not pulled A's three rows yet.
        var behind = (await FilixSync.StatusAsync(b.Database, b.Options)).Tables.Single(t => t.Table == "entities");
        Assert.Equal(3, behind.BehindUpstream);
        Assert.True(behind.Enabled);
        await b.SyncAsync();
        Assert.Equal(0, (await FilixSync.StatusAsync(b.Database, b.Options)).Tables.Single(t => t.Table == "entities").BehindUpstream);
    }

    [Fact]
    public async Task Against_another_upstream_the_cursors_restart_and_every_local_row_is_pushed_again()
    {
        var first = await postgres.CreateDatabaseAsync("first_upstream");
        var second = await postgres.CreateDatabaseAsync("second_upstream");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, first);
        await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', '1'), ('e:2', 't', '2')");
        await a.SyncAsync();
        Assert.Equal(0, (await FilixSync.StatusAsync(a.Database)).Tables.Single(t => t.Table == "entities").PendingLocal);

        // The same data folder pointed at a new, empty upstream: its cursors meant the old one.
        var options = new SyncOptions { Upstream = second, MachineId = a.Id };
        var report = await FilixSync.SyncAsync(a.Database, options);
        Assert.Equal(2, report.Tables.Single(t => t.Table == "entities").Pushed);
        Assert.Equal(["e:1", "e:2"], await Upstream.RowsAsync(second, "SELECT id FROM entities.entities ORDER BY id"));
    }
}

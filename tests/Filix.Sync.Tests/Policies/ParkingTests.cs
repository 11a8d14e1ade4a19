using Filix.Domains.Entities;
using Filix.Domains.Music;
using Filix.Domains.Papers;
using Filix.Runtime.Sync;
using Filix.Sync.Tests.Protocol;
using Filix.Testing.Postgres;

namespace Filix.Sync.Tests.Policies;

/// <summary>Rows that cannot apply are parked with a reason, never block the others, and resolve (see Parking).</summary>
[Collection(PostgresFixture.Collection)]
public sealed class ParkingTests(PostgresFixture postgres)
{
    private const string Papers = "SELECT id, doi FROM papers ORDER BY id";

    [Fact]
    public async Task Same_doi_on_two_machines_parks_the_later_one_on_its_machine_until_someone_changes_it()
    {
        var upstream = await postgres.CreateDatabaseAsync("same_doi");
        await using var a = await Machine.OpenAsync("a", PapersSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", PapersSchema.Definition, upstream);
        await a.Sql("INSERT INTO papers (id, doi, title) VALUES ('p1', '10.1/x', 'From A')");
        await b.Sql("INSERT INTO papers (id, doi, title) VALUES ('p2', '10.1/x', 'From B'), ('p3', '10.1/y', 'Unrelated')");
        await a.SyncAsync();
        var report = await b.SyncAsync();

        // p3 went through; p2 (upstream refused it) and p1 (this database refused it) are parked, with the reason.
        Assert.Equal(2, report.Tables.Single(t => t.Table == "papers").Parked);
        Assert.Equal(["p1|10.1/x|From A", "p3|10.1/y|Unrelated"], await Upstream.RowsAsync(upstream, "SELECT id, doi, title FROM papers.papers ORDER BY id"));
        var status = await FilixSync.StatusAsync(b.Database, b.Options);
        var parked = status.Tables.Single(t => t.Table == "papers").Parked.OrderBy(p => p.Direction).ToList();
        Assert.Equal([("[\"p1\"]", "pull"), ("[\"p2\"]", "push")], parked.Select(p => (p.Key, p.Direction)));
        Assert.All(parked, p => Assert.StartsWith("unique collision", p.Reason));
        Assert.Contains("doi", parked[0].Reason);
        Assert.Contains("10.1/x", parked[1].Reason); // upstream's detail names the value
        await a.SyncAsync();
        Assert.Equal(["p1|10.1/x", "p3|10.1/y"], await a.RowsAsync(Papers));

        // Someone fixes B's paper: both parked rows resolve on the next sync, and A gets it.
        await b.Sql("UPDATE papers SET doi = '10.1/x-b' WHERE id = 'p2'");
        var fixedReport = await b.SyncAsync();
        Assert.Equal(0, fixedReport.Tables.Single(t => t.Table == "papers").Parked);
        Assert.Equal(["p1|10.1/x", "p2|10.1/x-b", "p3|10.1/y"], await b.RowsAsync(Papers));
        await a.SyncAsync();
        Assert.Equal(await b.RowsAsync(Papers), await a.RowsAsync(Papers));
        Assert.Empty((await FilixSync.StatusAsync(b.Database)).Tables.SelectMany(t => t.Parked));
    }

    [Fact]
    public async Task A_parent_deleted_on_one_machine_while_a_child_is_added_on_the_other_stays_alive_in_both_orders()
    {
        foreach (var deleterFirst in new[] { true, false })
        {
            var upstream = await postgres.CreateDatabaseAsync("parent_child");
            await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
            await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
            await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'parent'), ('e:2', 't', 'other')");
            await a.SyncAsync();
            await b.SyncAsync();

            await a.Sql("DELETE FROM entities WHERE id = 'e:1'; UPDATE entities SET name = 'still flows' WHERE id = 'e:2'");
            await b.Sql("INSERT INTO events (entity_id, role, role_type) VALUES ('e:1', 'child', 'tag')");
            var (first, second) = deleterFirst ? (a, b) : (b, a);
            await first.SyncAsync();
            await second.SyncAsync();
            await first.SyncAsync();

            // A child keeps its parent alive: parent and child everywhere, the unrelated edit through, nothing parked.
            const string All = "SELECT id, name FROM entities ORDER BY id";
            Assert.Equal(["e:1|parent", "e:2|still flows"], await a.RowsAsync(All));
            Assert.Equal(await a.RowsAsync(All), await b.RowsAsync(All));
            Assert.Equal(["e:1|child"], await a.RowsAsync("SELECT entity_id, role FROM events"));
            Assert.Equal(["e:1|child"], await b.RowsAsync("SELECT entity_id, role FROM events"));
            Assert.Equal(["e:1", "e:2"], await Upstream.RowsAsync(upstream, "SELECT id FROM entities.entities ORDER BY id"));
            Assert.Equal(["e:1|child"], await Upstream.RowsAsync(upstream, "SELECT entity_id, role FROM entities.events"));
            Assert.Equal(0L, await a.ScalarAsync("SELECT count(*) FROM _filix_parked"));
            Assert.Equal(0L, await b.ScalarAsync("SELECT count(*) FROM _filix_parked"));
        }
    }

    [Fact]
    public async Task A_row_that_arrives_before_its_parent_is_parked_and_applies_once_the_parent_is_here()
    {
        var upstream = await postgres.CreateDatabaseAsync("child_first");
        await using var a = await Machine.OpenAsync("a", MusicSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", MusicSchema.Definition, upstream);
        a.Enabled.Add("music");
        b.Enabled.Add("music");
        const string Folder = "0b6f3b0e-1c1a-4c55-9b9e-000000000001";
        const string Child = "0b6f3b0e-1c1a-4c55-9b9e-000000000002";

        // Three upstream transactions: the folder, a playlist in it, then an edit that moves the folder's row to the
        // newest xid, so in delivery order the child comes first.
        await a.Sql($"INSERT INTO playlists (id, name, kind) VALUES ('{Folder}', 'Folder', 'folder')");
        await a.PushAsync();
        await a.Sql($"INSERT INTO playlists (id, name, parent_id) VALUES ('{Child}', 'Child', '{Folder}')");
        await a.PushAsync();
        await a.Sql($"UPDATE playlists SET name = 'Folder (renamed)' WHERE id = '{Folder}'");
        await a.PushAsync();

        var report = await b.PullAsync();
        var playlists = report.Tables.Single(t => t.Table == "playlists");
        Assert.Equal(2, playlists.Pulled);
        Assert.Equal(0, playlists.Parked);
        const string All = "SELECT id, name, parent_id FROM playlists ORDER BY name";
        Assert.Equal(await a.RowsAsync(All), await b.RowsAsync(All));
        Assert.Equal(0L, await b.ScalarAsync("SELECT count(*) FROM _filix_parked"));
        Assert.Equal(2L, await b.ScalarAsync("SELECT count(*) FROM _filix_rows WHERE tbl = 'playlists' AND origin = 'a'"));
    }
}

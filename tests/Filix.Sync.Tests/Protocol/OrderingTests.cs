using Filix.Domains.Entities;
using Filix.Testing.Postgres;

namespace Filix.Sync.Tests.Protocol;

/// <summary>Last-write-wins by hybrid logical clock, and no echo.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class OrderingTests(PostgresFixture postgres)
{
    private const string Summary = "SELECT summary FROM entities WHERE id = 'e:1'";

    [Fact]
    public async Task A_pulled_row_is_not_pushed_back_and_a_pushed_row_pulled_back_changes_nothing()
    {
        var upstream = await postgres.CreateDatabaseAsync("echo");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
        await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'one'), ('e:2', 't', 'two')");
        await a.SyncAsync();
        var xids = await Upstream.RowsAsync(upstream, "SELECT id, _filix_xid::text, _filix_version FROM entities.entities ORDER BY id");

        // A pulls its own rows back: nothing arrives, nothing changes.
        var again = await a.SyncAsync();
        Assert.All(again.Tables, t => Assert.Equal((0L, 0L), (t.Pushed, t.Pulled)));

        // B pulls them and syncs again: nothing of it goes back upstream (no new xid, no new version).
        Assert.Equal(2, (await b.SyncAsync()).Tables.Single(t => t.Table == "entities").Pulled);
        var second = await b.SyncAsync();
        Assert.All(second.Tables, t => Assert.Equal((0L, 0L), (t.Pushed, t.Pulled)));
        Assert.Equal(0L, await b.ScalarAsync("SELECT count(*) FROM _filix_rows WHERE origin IS NULL"));
        Assert.Equal(xids, await Upstream.RowsAsync(upstream, "SELECT id, _filix_xid::text, _filix_version FROM entities.entities ORDER BY id"));
        Assert.Equal("a|a", string.Join("|", await Upstream.RowsAsync(upstream, "SELECT synced_from FROM entities.entities ORDER BY id")));

        // With nothing pending, B's push cursor jumped past the pulled versions (so pushes do not rescan them), and
        // B's next edit, versioned above them, is still pushed.
        Assert.Equal(await b.ScalarAsync("SELECT max(hlc) FROM _filix_rows"), await b.ScalarAsync("SELECT pushed_hlc FROM _filix_sync_tables WHERE tbl = 'entities'"));
        await b.Sql("UPDATE entities SET name = 'two, by b' WHERE id = 'e:2'");
        Assert.Equal(1, (await b.SyncAsync()).Tables.Single(t => t.Table == "entities").Pushed);
        await a.SyncAsync();
        Assert.Equal("two, by b", await a.ScalarAsync("SELECT name FROM entities WHERE id = 'e:2'"));
    }

    [Fact]
    public async Task An_edit_made_after_pulling_wins_even_on_a_machine_whose_clock_runs_behind()
    {
        var upstream = await postgres.CreateDatabaseAsync("skew");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
        await a.Sql("INSERT INTO entities (id, type, name, summary) VALUES ('e:1', 't', 'one', 'from a')");

        // A's clock runs a day ahead: its version says tomorrow.
        var tomorrow = (DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds() << 16).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await a.Sql(Filix.Runtime.Sync.Local.CaptureSql.Fold + $" UPDATE _filix_rows SET hlc = {tomorrow} WHERE pk = '[\"e:1\"]'");
        await a.SyncAsync();
        await b.SyncAsync();

        // B (clock right, so "behind" A's) edits after pulling A's version: its version still orders after it.
        await b.Sql("UPDATE entities SET summary = 'from b, later' WHERE id = 'e:1'");
        Assert.True((long)(await b.ScalarAsync("SELECT hlc FROM (" + Filix.Runtime.Sync.Local.CaptureSql.Current + ") WHERE pk = '[\"e:1\"]'"))! > long.Parse(tomorrow, System.Globalization.CultureInfo.InvariantCulture));
        await b.SyncAsync();
        await a.SyncAsync();
        Assert.Equal("from b, later", await a.ScalarAsync(Summary));
        Assert.Equal("from b, later", await Upstream.ScalarAsync(upstream, "SELECT summary FROM entities.entities WHERE id = 'e:1'"));
    }

    [Fact]
    public async Task Concurrent_edits_resolve_to_the_higher_version_whichever_pushes_first()
    {
        foreach (var bFirst in new[] { false, true })
        {
            var upstream = await postgres.CreateDatabaseAsync("concurrent");
            await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
            await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
            await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'one')");
            await a.SyncAsync();
            await b.SyncAsync();

            // Both edit without seeing the other; A's edit carries the higher clock (its clock is ahead).
            await a.Sql("UPDATE entities SET summary = 'a' WHERE id = 'e:1'");
            await b.Sql("UPDATE entities SET summary = 'b' WHERE id = 'e:1'");
            await a.Sql(Filix.Runtime.Sync.Local.CaptureSql.Fold + $" UPDATE _filix_rows SET hlc = hlc + (1000 << 16) WHERE pk = '[\"e:1\"]'");
            var (first, second) = bFirst ? (b, a) : (a, b);
            await first.SyncAsync();
            await second.SyncAsync();
            await first.SyncAsync();
            Assert.Equal("a", await a.ScalarAsync(Summary));
            Assert.Equal("a", await b.ScalarAsync(Summary));
            Assert.Equal("a", await Upstream.ScalarAsync(upstream, "SELECT summary FROM entities.entities WHERE id = 'e:1'"));
        }
    }

    [Fact]
    public async Task Delete_versus_update_a_later_update_resurrects_and_a_later_delete_wins()
    {
        foreach (var (deleteLast, aFirst) in new[] { (false, true), (false, false), (true, true), (true, false) })
        {
            var upstream = await postgres.CreateDatabaseAsync("delete_update");
            await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
            await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
            await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'one')");
            await a.SyncAsync();
            await b.SyncAsync();

            // A deletes, B updates, neither having seen the other; the later version (by clock) wins, whoever
            // syncs first.
            await a.Sql("DELETE FROM entities WHERE id = 'e:1'");
            await b.Sql("UPDATE entities SET summary = 'kept' WHERE id = 'e:1'");
            var later = deleteLast ? a : b;
            await later.Sql(Filix.Runtime.Sync.Local.CaptureSql.Fold + " UPDATE _filix_rows SET hlc = hlc + (1000 << 16) WHERE pk = '[\"e:1\"]'");
            var (first, second) = aFirst ? (a, b) : (b, a);
            await first.SyncAsync();
            await second.SyncAsync();
            await first.SyncAsync();

            var expected = deleteLast ? Array.Empty<string>() : ["kept"];
            Assert.Equal(expected, await a.RowsAsync("SELECT summary FROM entities"));
            Assert.Equal(expected, await b.RowsAsync("SELECT summary FROM entities"));
            Assert.Equal(expected, await Upstream.RowsAsync(upstream, "SELECT summary FROM entities.entities"));
            Assert.Equal(deleteLast ? 1L : 0L, await b.ScalarAsync("SELECT count(*) FROM _filix_rows WHERE deleted = 1"));
        }
    }
}

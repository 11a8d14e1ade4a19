using Filix.Domains.Entities;
using Filix.Testing.Postgres;

namespace Filix.Sync.Tests.Protocol;

/// <summary>Two machines and one upstream: what one writes, the other reads after a sync of both.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class RoundTripTests(PostgresFixture postgres)
{
    private const string Entities = "SELECT id, type, name, summary, attributes, updated_at FROM entities ORDER BY id";
    private const string Events = "SELECT entity_id, role, role_type, status, end_date, confidence FROM events ORDER BY 1, 2, 3";

    [Fact]
    public async Task Inserts_updates_hard_and_soft_deletes_reach_the_other_machine()
    {
        var upstream = await postgres.CreateDatabaseAsync("roundtrip");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);

        await a.Sql("""
            INSERT INTO entities (id, type, name, summary) VALUES ('person:jane', 'person', 'Jane', 'first'), ('person:joe', 'person', 'Joe', NULL), ('paper:x', 'paper', 'X', 'gone soon');
            INSERT INTO events (entity_id, role, role_type) VALUES ('person:jane', 'ml', 'tag'), ('person:joe', 'filix', 'member_of');
            """);
        var pushed = await a.SyncAsync();
        Assert.Equal(3, pushed.Tables.Single(t => t.Table == "entities").Pushed);
        Assert.Equal(2, pushed.Tables.Single(t => t.Table == "events").Pushed);

        var pulled = await b.SyncAsync();
        Assert.Equal(3, pulled.Tables.Single(t => t.Table == "entities").Pulled);
        Assert.Equal(await a.RowsAsync(Entities), await b.RowsAsync(Entities));
        Assert.Equal(await a.RowsAsync(Events), await b.RowsAsync(Events));

        // B edits, hard-deletes and soft-deletes (events.status = 'ended' with end_date: an ordinary update).
        await b.Sql("""
            UPDATE entities SET summary = 'edited on b' WHERE id = 'person:jane';
            DELETE FROM entities WHERE id = 'paper:x';
            UPDATE events SET status = 'ended', end_date = '2026-01-31' WHERE entity_id = 'person:joe';
            """);
        await b.SyncAsync();

        // The hard delete is a tombstone upstream until every machine that pulled lately is past it.
        Assert.Equal(["entities|[\"paper:x\"]|b"], await Upstream.RowsAsync(upstream, "SELECT tbl, pk, origin FROM entities._filix_tombstones"));
        await a.SyncAsync();
        Assert.Empty(await Upstream.RowsAsync(upstream, "SELECT tbl, pk, origin FROM entities._filix_tombstones"));
        Assert.Equal(await b.RowsAsync(Entities), await a.RowsAsync(Entities));
        Assert.Equal(await b.RowsAsync(Events), await a.RowsAsync(Events));
        Assert.Equal(["person:jane|person|Jane|edited on b", "person:joe|person|Joe|∅"], (await a.RowsAsync("SELECT id, type, name, summary FROM entities ORDER BY id")));
        Assert.Equal("ended|2026-01-31", (await a.RowsAsync("SELECT status, end_date FROM events WHERE entity_id = 'person:joe'")).Single());

        // Upstream holds the same rows and says who wrote them.
        Assert.Equal(["person:jane|edited on b|b", "person:joe|∅|a"], await Upstream.RowsAsync(upstream, "SELECT id, summary, synced_from FROM entities.entities ORDER BY id"));

        // A pulled row keeps its writer's version and machine locally.
        Assert.Equal("b", await a.ScalarAsync("SELECT origin FROM _filix_rows WHERE tbl = 'entities' AND pk = '[\"person:jane\"]'"));
    }

    [Fact]
    public async Task Writes_through_the_typed_repositories_are_synced()
    {
        var upstream = await postgres.CreateDatabaseAsync("typed");
        EntitiesDatabase? typed = null;
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream, async path => (typed = await EntitiesDatabase.OpenAsync(path)).Database);
        await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
        await typed!.Entities.InsertAsync(new Entity { Id = "org:filix", Type = "organisation", Name = "Filix", Attributes = """{"k": 1}""" }); // jsonb's own text form: see the report on JSON text upstream
        await a.SyncAsync();
        await b.SyncAsync();
        Assert.Equal(await a.RowsAsync(Entities), await b.RowsAsync(Entities));
        Assert.Single(await b.RowsAsync(Entities));
        await typed.Entities.DeleteAsync("org:filix");
        await a.SyncAsync();
        await b.SyncAsync();
        Assert.Empty(await b.RowsAsync(Entities));
    }
}

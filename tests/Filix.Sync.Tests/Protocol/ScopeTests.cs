using Filix.Domains.Entities;
using Filix.Domains.Files;
using Filix.Domains.Music;
using Filix.Runtime.Sync;
using Filix.Testing.Postgres;

namespace Filix.Sync.Tests.Protocol;

/// <summary>What syncs where: optional tables only where enabled, local tables never; and a machine one migration
/// behind the upstream keeps syncing the columns it knows.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class ScopeTests(PostgresFixture postgres)
{
    private const string Playlist1 = "0b6f3b0e-1c1a-4c55-9b9e-00000000000a";
    private const string Playlist2 = "0b6f3b0e-1c1a-4c55-9b9e-00000000000b";

    [Fact]
    public async Task Optional_tables_are_skipped_until_enabled_and_then_push_what_was_written_meanwhile()
    {
        var upstream = await postgres.CreateDatabaseAsync("optional");
        await using var a = await Machine.OpenAsync("a", MusicSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", MusicSchema.Definition, upstream);
        a.Enabled.Add("music");
        await a.Sql($"INSERT INTO playlists (id, name) VALUES ('{Playlist1}', 'From A')");
        Assert.Equal(1, (await a.SyncAsync()).Tables.Single(t => t.Table == "playlists").Pushed);

        // Not enabled on B: every table reported skipped, nothing moves either way.
        await b.Sql($"INSERT INTO playlists (id, name) VALUES ('{Playlist2}', 'From B')");
        var skipped = await b.SyncAsync();
        Assert.All(skipped.Tables, t => Assert.True(t.Skipped, t.Table));
        Assert.Equal(["From B"], await b.RowsAsync("SELECT name FROM playlists"));
        Assert.Equal(["From A"], await Upstream.RowsAsync(upstream, "SELECT name FROM music.playlists"));
        Assert.False((await FilixSync.StatusAsync(b.Database, b.Options)).Tables.Single(t => t.Table == "playlists").Enabled);

        // Enabling one table (domain.table): B's row written meanwhile is pushed, A's pulled; the others stay skipped.
        b.Enabled.Add("music.playlists");
        var enabled = await b.SyncAsync();
        var playlists = enabled.Tables.Single(t => t.Table == "playlists");
        Assert.False(playlists.Skipped);
        Assert.Equal((1L, 1L), (playlists.Pushed, playlists.Pulled));
        Assert.All(enabled.Tables.Where(t => t.Table != "playlists"), t => Assert.True(t.Skipped, t.Table));
        Assert.Equal(["From A", "From B"], await b.RowsAsync("SELECT name FROM playlists ORDER BY name"));
        await a.SyncAsync();
        Assert.Equal(["From A", "From B"], await a.RowsAsync("SELECT name FROM playlists ORDER BY name"));
    }

    [Fact]
    public async Task Local_tables_never_reach_the_upstream()
    {
        var upstream = await postgres.CreateDatabaseAsync("local_only");
        await using var machine = await Machine.OpenAsync("a", FilesSchema.Definition, upstream);
        await machine.Sql("INSERT INTO roots (path) VALUES ('/data')");
        var report = await machine.SyncAsync();
        Assert.Empty(report.Tables);
        Assert.Equal(0L, await Upstream.ScalarAsync(upstream, "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"));
        Assert.Equal(0L, await Upstream.ScalarAsync(upstream, "SELECT count(*) FROM pg_namespace WHERE nspname = 'files'"));
    }

    [Fact]
    public async Task A_machine_one_migration_behind_keeps_syncing_never_nulls_the_newer_column_and_is_told_to_upgrade()
    {
        var upstream = await postgres.CreateDatabaseAsync("skew_ahead");
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        await using var b = await Machine.OpenAsync("b", EntitiesSchema.Definition, upstream);
        await a.Sql("INSERT INTO entities (id, type, name) VALUES ('e:1', 't', 'one')");
        var first = await a.SyncAsync();
        Assert.Null(first.Warning);

        // A newer build migrated the upstream: a NOT NULL column with a default, and its history row.
        await Upstream.ExecuteAsync(upstream, """
            ALTER TABLE entities.entities ADD COLUMN "rank" integer NOT NULL DEFAULT 5;
            UPDATE entities.entities SET "rank" = 9 WHERE id = 'e:1';
            INSERT INTO entities._filix_migrations ("domain", "id", "name", "checksum") VALUES ('entities', '0002', 'entity_rank', 'sha256:newer');
            """);

        await a.Sql("UPDATE entities SET name = 'one, edited by the older build' WHERE id = 'e:1'; INSERT INTO entities (id, type, name) VALUES ('e:2', 't', 'two')");
        var report = await a.SyncAsync();
        Assert.Contains("0002_entity_rank", report.Warning);
        Assert.Contains("upgrade", report.Warning);
        Assert.Equal(2, report.Tables.Single(t => t.Table == "entities").Pushed);
        Assert.Equal(["e:1|one, edited by the older build|9", "e:2|two|5"], await Upstream.RowsAsync(upstream, "SELECT id, name, \"rank\" FROM entities.entities ORDER BY id"));

        // The older build pulls rows that carry the column it does not know.
        await Upstream.ExecuteAsync(upstream, "UPDATE entities.entities SET \"rank\" = 7, name = 'edited upstream', _filix_version = _filix_version + 1, synced_from = 'newer' WHERE id = 'e:2'");
        await b.SyncAsync();
        Assert.Equal(["e:1|one, edited by the older build", "e:2|edited upstream"], await b.RowsAsync("SELECT id, name FROM entities ORDER BY id"));
        Assert.Contains("upgrade", (await FilixSync.StatusAsync(b.Database, b.Options)).Warning);
    }
}

using Filix.Domains.Entities;
using Filix.Runtime;
using Filix.Runtime.Sync;
using Filix.Testing;

namespace Filix.Sync.Tests.Capture;

/// <summary>Which machine last wrote a row and whether it is upstream: the <c>_filix_provenance</c> view in SQL, and
/// the typed API (FilixSync.ProvenanceAsync and the generated repositories' ProvenanceAsync).</summary>
public sealed class ProvenanceTests
{
    [Fact]
    public async Task A_local_write_is_this_machines_and_unpushed_until_the_push_cursor_passes_it_unless_parked()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        await db.Entities.InsertAsync(new Entity { Id = "a", Type = "person", Name = "A" });

        var fresh = (await db.Entities.ProvenanceAsync("a"))!;
        Assert.Equal(new RowProvenance("entities", """["a"]""", "(this machine)", true, fresh.WrittenAt, fresh.Version, false, false), fresh);
        Assert.InRange(fresh.WrittenAt, before, DateTimeOffset.UtcNow.AddMilliseconds(1));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(fresh.Version >> 16), fresh.WrittenAt);

        // The first sync recorded this machine's id and pushed the version.
        CaptureDb.Execute(path, $"""
            INSERT INTO _filix_sync_meta (key, value) VALUES ('machine', 'desk-0a1b2c3d');
            INSERT INTO _filix_sync_tables (tbl, pushed_hlc) VALUES ('entities', {fresh.Version});
            """);
        var pushed = (await FilixSync.ProvenanceAsync(db.Database, "entities", ["a"]))!;
        Assert.True(pushed is { Machine: "desk-0a1b2c3d", WrittenHere: true, Pushed: true, Deleted: false });

        // The upstream refused it (parked for push): not pushed, even below the cursor.
        CaptureDb.Execute(path, $"INSERT INTO _filix_parked (tbl, pk, direction, hlc, reason, since) VALUES ('entities', '[\"a\"]', 'push', {fresh.Version}, 'unique', '2026-01-01')");
        Assert.False((await db.Entities.ProvenanceAsync("a"))!.Pushed);

        // The SQL view says the same.
        var row = CaptureDb.Query(path, """SELECT "machine", "written_here", "pushed", "deleted", "version", "written_at" FROM _filix_provenance WHERE "table" = 'entities' AND "key" = '["a"]'""").Single();
        Assert.Equal(["desk-0a1b2c3d", 1L, 0L, 0L, fresh.Version], row[..5]);
        Assert.Equal(fresh.WrittenAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), row[5]);
    }

    [Fact]
    public async Task A_pulled_version_names_the_machine_that_wrote_it_and_is_upstream_and_a_delete_keeps_its_provenance()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);
        await db.Entities.InsertAsync(new Entity { Id = "e", Type = "person", Name = "E" });
        await db.Events.InsertAsync(new Event { EntityId = "e", Role = "r", RoleType = "tag" });
        var pulledAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        await db.Database.WriteAsync(static (session, hlc) =>
        {
            session.Execute("INSERT INTO _filix_applying VALUES (1)");
            session.Execute($"UPDATE _filix_rows SET hlc = {hlc}, origin = 'laptop-99' WHERE tbl = 'entities' AND pk = '[\"e\"]'");
            session.Execute("DELETE FROM _filix_applying");
            return 0;
        }, pulledAt.ToUnixTimeMilliseconds() << 16);
        await db.Events.DeleteAsync("e", "r", "tag");

        var pulled = (await db.Entities.ProvenanceAsync("e"))!;
        Assert.True(pulled is { Machine: "laptop-99", WrittenHere: false, Pushed: true });
        Assert.Equal(pulledAt.ToUnixTimeMilliseconds(), pulled.WrittenAt.ToUnixTimeMilliseconds());
        var deleted = (await db.Events.ProvenanceAsync("e", "r", "tag"))!;
        Assert.True(deleted is { Deleted: true, WrittenHere: true, Pushed: false, Table: "events", Key: """["e","r","tag"]""" });
        Assert.Null(await db.Entities.ProvenanceAsync("never-written"));
    }

    [Fact]
    public async Task Asking_for_a_table_that_is_not_shared_names_the_shared_ones()
    {
        using var folder = TempDirectory.Create("capture");
        await using var db = await EntitiesDatabase.OpenAsync(folder.File("entities.db"));
        var error = await Assert.ThrowsAsync<FilixException>(() => FilixSync.ProvenanceAsync(db.Database, "nope", ["a"]));
        Assert.Contains("'nope' is not a shared table of the 'entities' domain", error.Message, StringComparison.Ordinal);
        Assert.Contains("entities, events", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => FilixSync.ProvenanceAsync(db.Database, "events", ["a"]));
    }
}

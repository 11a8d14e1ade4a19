using Filix.Domains.Entities;
using Filix.Domains.Files;
using Filix.Runtime;
using Filix.Runtime.Sync.Local;
using Filix.Testing;

namespace Filix.Sync.Tests.Capture;

/// <summary>The migrator installs change capture: on a new database, on one made before sync (backfill), again after
/// a table rebuild or a dropped trigger, and never on local tables; an up-to-date database opens without a write.</summary>
public sealed class CaptureInstallTests
{
    [Fact]
    public async Task A_new_database_has_capture_triggers_on_every_shared_table_and_records_the_installed_capture()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using (await EntitiesDatabase.OpenAsync(path))
        {
        }

        Assert.Equal(
            ["_filix_capture_entities_delete", "_filix_capture_entities_insert", "_filix_capture_entities_update",
             "_filix_capture_events_delete", "_filix_capture_events_insert", "_filix_capture_events_update",
             "_filix_capture_fold_applying", "_filix_capture_fold_log"],
            CaptureDb.Names(path, "trigger", "%"));
        Assert.Equal(["_filix_provenance"], CaptureDb.Names(path, "view", "%"));
        Assert.Equal(CaptureInstall.Hash(EntitiesSchema.Definition), CaptureDb.Scalar(path, "SELECT value FROM _filix_sync_meta WHERE key = 'capture'"));
        using var connection = CaptureDb.Connect(path);
        Assert.True(CaptureInstall.IsCurrent(connection, EntitiesSchema.Definition));
    }

    [Fact]
    public async Task Local_tables_get_no_capture()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("files.db");
        await using (await FilesDatabase.OpenAsync(path))
        {
        }

        Assert.Empty(CaptureDb.Names(path, "trigger", "%"));
        Assert.Empty(CaptureDb.Names(path, "table", "\\_filix\\_rows' ESCAPE '\\"));
    }

    [Fact]
    public async Task A_database_made_before_sync_is_backfilled_once_each_row_a_pending_change_with_its_own_version()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using (await EntitiesDatabase.OpenAsync(path))
        {
        }

        CaptureDb.StripCapture(path);
        CaptureDb.Python(path, """
            db = sqlite3.connect(sys.argv[1])
            db.executemany("INSERT INTO entities (id, type, name, created_at, updated_at) VALUES (?, 'person', ?, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')",
                           [("p%03d" % i, "P %d" % i) for i in range(300)])
            db.execute("INSERT INTO events (entity_id, role, role_type, created_at, updated_at) VALUES ('p001', 'x', 'tag', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')")
            db.commit()
            """);
        Assert.Empty(CaptureDb.Names(path, "trigger", "%"));

        await using (await EntitiesDatabase.OpenAsync(path))
        {
        }

        var entries = CaptureDb.Entries(path);
        Assert.Equal(301, entries.Count);
        Assert.All(entries, e => Assert.True(e.Origin is null && !e.Deleted));
        Assert.Equal(301, entries.Select(e => e.Hlc).Distinct().Count()); // a batch cut by LIMIT never splits a version
        Assert.Contains(entries, e => e.Table == "events" && e.Key == """["p001","x","tag"]""");
        Assert.Contains(entries, e => e.Table == "entities" && e.Key == """["p042"]""");

        // Opening again changes nothing: no second backfill.
        await using (await EntitiesDatabase.OpenAsync(path))
        {
        }

        Assert.Equal(entries, CaptureDb.Entries(path));
    }

    [Fact]
    public async Task Triggers_dropped_by_another_tool_are_recreated_on_open_and_what_was_written_meanwhile_is_swept()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using (var db = await EntitiesDatabase.OpenAsync(path))
        {
            await db.Entities.InsertAsync(new Entity { Id = "a", Type = "person", Name = "A" });
            await db.Entities.InsertAsync(new Entity { Id = "b", Type = "person", Name = "B" });
        }

        CaptureDb.Python(path, """
            db = sqlite3.connect(sys.argv[1])
            for op in ("insert", "update", "delete"):
                db.execute("DROP TRIGGER _filix_capture_entities_" + op)
            db.execute("INSERT INTO entities (id, type, name, created_at, updated_at) VALUES ('c', 'person', 'C', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')")
            db.execute("DELETE FROM entities WHERE id = 'a'")
            db.commit()
            """);
        var before = CaptureDb.Entries(path).Max(e => e.Hlc);

        await using (await EntitiesDatabase.OpenAsync(path))
        {
        }

        Assert.Equal(3, CaptureDb.Names(path, "trigger", "\\_filix\\_capture\\_entities\\_%' ESCAPE '\\").Count);
        Assert.True(CaptureDb.Entry(path, "entities", """["a"]""") is { Deleted: true, Origin: null } a && a.Hlc > before);
        Assert.True(CaptureDb.Entry(path, "entities", """["c"]""") is { Deleted: false } c && c.Hlc > before);
        Assert.True(CaptureDb.Entry(path, "entities", """["b"]""")!.Hlc < before + 1);
    }

    [Fact]
    public async Task A_trigger_whose_text_differs_from_this_builds_is_replaced()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using (await EntitiesDatabase.OpenAsync(path))
        {
        }

        CaptureDb.Execute(path, "DROP TRIGGER _filix_capture_entities_insert; CREATE TRIGGER _filix_capture_entities_insert AFTER INSERT ON entities BEGIN SELECT 1; END");
        await using (var db = await EntitiesDatabase.OpenAsync(path))
        {
            await db.Entities.InsertAsync(new Entity { Id = "a", Type = "person", Name = "A" });
        }

        Assert.NotNull(CaptureDb.Entry(path, "entities", """["a"]"""));
    }

    [Fact]
    public async Task Opening_an_up_to_date_database_takes_no_write_lock_and_writes_nothing()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using (await EntitiesDatabase.OpenAsync(path))
        {
        }

        using var holder = CaptureDb.Connect(path);
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        // Another process holds the write lock: an open that wanted to install would wait and time out.
        var options = new FilixOptions { BusyTimeout = TimeSpan.FromMilliseconds(200), ShareWriter = false };
        await using (var db = await EntitiesDatabase.OpenAsync(path, options))
        {
            Assert.Empty(db.Database.Migrations.Pending);
        }

        using var rollback = holder.CreateCommand();
        rollback.CommandText = "ROLLBACK";
        rollback.ExecuteNonQuery();
    }
}

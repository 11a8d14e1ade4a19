using Filix.Domains.Entities;
using Filix.Domains.Papers;
using Filix.Runtime;
using Filix.Runtime.Sync.Local;
using Filix.Testing;

namespace Filix.Sync.Tests.Capture;

/// <summary>Every write of a shared table is captured, whoever makes it: repositories, raw statements through
/// FilixDatabase, statements written together, a second opener sending its writes to the shared writer, and Python's
/// sqlite3 in another process (executemany, a key change, a plain DELETE; INSERT OR REPLACE with the sweep).</summary>
public sealed class CaptureWritesTests
{
    private static Entity Person(string id) => new() { Id = id, Type = "person", Name = "N " + id };

    [Fact]
    public async Task Repository_inserts_updates_and_deletes_are_captured_in_commit_order()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16;
        await db.Entities.InsertAsync(Person("a"));
        await db.Events.InsertAsync(new Event { EntityId = "a", Role = "r", RoleType = "tag" });
        var inserted = CaptureDb.Entry(path, "entities", """["a"]""")!;
        await db.Entities.UpdateAsync(Person("a") with { Name = "renamed" });
        var updated = CaptureDb.Entry(path, "entities", """["a"]""")!;
        await db.Events.DeleteAsync("a", "r", "tag");

        Assert.True(inserted is { Origin: null, Deleted: false } && inserted.Hlc >= start);
        Assert.True(updated.Hlc > inserted.Hlc && !updated.Deleted);
        var deleted = CaptureDb.Entry(path, "events", """["a","r","tag"]""")!;
        Assert.True(deleted.Deleted && deleted.Hlc > updated.Hlc);
    }

    [Fact]
    public async Task Raw_statements_and_statements_written_together_are_captured_and_a_key_change_deletes_the_old_key()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);
        await db.Database.ExecuteAsync("INSERT INTO entities (id, type, name) VALUES ($p0, 'person', 'X')", 1, ["raw1", "raw2"]);
        await db.WriteTogetherAsync(db.Entities.InsertStatement(Person("t1")), db.Events.InsertStatement(new Event { EntityId = "t1", Role = "r", RoleType = "tag" }));
        await db.Database.ExecuteAsync("UPDATE entities SET id = 'raw3' WHERE id = $p0", 1, ["raw2"]);

        Assert.NotNull(CaptureDb.Entry(path, "entities", """["raw1"]"""));
        Assert.NotNull(CaptureDb.Entry(path, "entities", """["t1"]"""));
        Assert.NotNull(CaptureDb.Entry(path, "events", """["t1","r","tag"]"""));
        var old = CaptureDb.Entry(path, "entities", """["raw2"]""")!;
        var renamed = CaptureDb.Entry(path, "entities", """["raw3"]""")!;
        Assert.True(old.Deleted);
        Assert.False(renamed.Deleted);
    }

    [Fact]
    public async Task One_statement_writing_many_rows_gives_each_its_own_increasing_version()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);
        await db.Database.ExecuteAsync(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO entities (id, type, name) SELECT 'm' || i, 'person', 'M' FROM n",
            0, []);

        var entries = CaptureDb.Entries(path, "entities");
        Assert.Equal(500, entries.Count);
        Assert.Equal(500, entries.Select(e => e.Hlc).Distinct().Count());
        Assert.Equal(entries.Select(e => int.Parse(e.Key[3..^2], System.Globalization.CultureInfo.InvariantCulture)), Enumerable.Range(1, 500)); // versions in insert order
    }

    [Fact]
    public async Task A_second_opener_whose_writes_go_to_the_shared_writer_is_captured()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var owner = await EntitiesDatabase.OpenAsync(path);
        await using var client = await EntitiesDatabase.OpenAsync(path);
        Assert.True(client.Database.Shared!.IsClient);
        await client.Entities.InsertAsync(Person("via-client"));

        Assert.Equal(0, client.Database.Writer.Batches); // committed by the owner's writer
        Assert.NotNull(CaptureDb.Entry(path, "entities", """["via-client"]"""));
    }

    [Fact]
    public async Task Python_sqlite3_writes_from_another_process_are_captured_including_a_key_change_and_a_plain_delete()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);
        CaptureDb.Python(path, $"""
            FOLD = {CaptureSql.FoldEvery}
            db = sqlite3.connect(sys.argv[1], timeout=30)
            db.executemany("INSERT INTO entities (id, type, name) VALUES (?, 'person', ?)", [("py%d" % i, "Py %d" % i) for i in range(FOLD + 76)])
            db.executemany("INSERT INTO events (entity_id, role, role_type) VALUES (?, 'old', 'tag')", [("py%d" % i,) for i in range(3)])
            db.commit()
            db.execute("UPDATE events SET role = 'new' WHERE entity_id = 'py0'")
            db.execute("DELETE FROM events WHERE entity_id = 'py1'")
            db.execute("DELETE FROM entities WHERE id = 'py%d'" % (FOLD + 75))
            db.commit()
            """);

        // FoldEvery + 76 captures: Python's own SQLite ran the fold at the FoldEvery-th.
        var entities = CaptureDb.Entries(path, "entities");
        Assert.Equal(CaptureSql.FoldEvery + 76, entities.Count);
        Assert.Equal(CaptureSql.FoldEvery + 76, entities.Select(e => e.Hlc).Distinct().Count());
        Assert.True((long)CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_rows WHERE tbl = 'entities'")! >= CaptureSql.FoldEvery);
        Assert.True(CaptureDb.Entry(path, "entities", $"""["py{CaptureSql.FoldEvery + 75}"]""")!.Deleted);
        Assert.True(CaptureDb.Entry(path, "events", """["py0","old","tag"]""")!.Deleted);
        Assert.False(CaptureDb.Entry(path, "events", """["py0","new","tag"]""")!.Deleted);
        Assert.True(CaptureDb.Entry(path, "events", """["py1","old","tag"]""")!.Deleted);
        Assert.False(CaptureDb.Entry(path, "events", """["py2","old","tag"]""")!.Deleted);
    }

    [Fact]
    public async Task Insert_or_replace_on_a_unique_conflict_deletes_a_row_without_a_trigger_and_the_sweep_records_the_delete()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("papers.db");
        await using var db = await PapersDatabase.OpenAsync(path);
        await db.Papers.InsertAsync(new Paper { Id = "doi:old", Doi = "10.1/x", Title = "Old" });
        CaptureDb.Python(path, """
            db = sqlite3.connect(sys.argv[1], timeout=30)
            db.execute("INSERT OR REPLACE INTO papers (id, doi, title) VALUES ('doi:new', '10.1/x', 'New')")
            db.commit()
            """);

        // SQLite removed doi:old for the unique doi without firing its delete trigger (recursive_triggers is off).
        Assert.Equal(1L, CaptureDb.Scalar(path, "SELECT count(*) FROM papers"));
        var stale = CaptureDb.Entry(path, "papers", """["doi:old"]""")!;
        Assert.False(stale.Deleted);

        var swept = await CaptureSweep.RunAsync(db.Database);

        Assert.Equal(new SweepResult(0, 1), swept);
        var deleted = CaptureDb.Entry(path, "papers", """["doi:old"]""")!;
        Assert.True(deleted.Deleted && deleted.Hlc > CaptureDb.Entry(path, "papers", """["doi:new"]""")!.Hlc);
        Assert.Equal(SweepResult.None, await CaptureSweep.RunAsync(db.Database)); // nothing left to find
    }

    [Fact]
    public async Task A_local_version_orders_after_every_version_seen_even_a_pulled_one_from_a_clock_ahead()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);

        // Another machine, its clock an hour ahead, wrote "far" and this machine pulled it.
        var ahead = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds() << 16;
        await db.Database.WriteAsync(static (session, hlc) =>
        {
            session.Execute("INSERT INTO _filix_applying VALUES (1)");
            session.Execute("INSERT INTO entities (id, type, name) VALUES ('far', 'person', 'Far')");
            session.Execute($"INSERT INTO _filix_rows (tbl, pk, hlc, origin, deleted) VALUES ('entities', '[\"far\"]', {hlc}, 'laptop-ahead', 0)");
            session.Execute("DELETE FROM _filix_applying");
            return 0;
        }, ahead);

        // Editing it here, now, must win over the version it replaces although this clock is behind.
        await db.Entities.UpdateAsync(Person("far") with { Name = "edited here" });
        var edited = CaptureDb.Entry(path, "entities", """["far"]""")!;
        Assert.Null(edited.Origin);
        Assert.Equal(ahead + 1, edited.Hlc);

        await db.Entities.InsertAsync(Person("next"));
        Assert.Equal(ahead + 2, CaptureDb.Entry(path, "entities", """["next"]""")!.Hlc);
    }

    [Fact]
    public async Task The_applying_flag_suppresses_capture_only_inside_its_own_transaction()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);
        var seenOutside = await db.Database.WriteAsync(static (session, path) =>
        {
            session.Execute("INSERT INTO _filix_applying VALUES (1)");
            session.Execute("INSERT INTO entities (id, type, name) VALUES ('applied', 'person', 'A')");
            var outside = (long)CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_applying")!; // another connection
            session.Execute("DELETE FROM _filix_applying");
            session.Execute("INSERT INTO entities (id, type, name) VALUES ('after', 'person', 'B')");
            return outside;
        }, path);
        CaptureDb.Python(path, """
            db = sqlite3.connect(sys.argv[1], timeout=30)
            db.execute("INSERT INTO entities (id, type, name) VALUES ('python', 'person', 'P')")
            db.commit()
            """);

        Assert.Equal(0L, seenOutside);
        Assert.Null(CaptureDb.Entry(path, "entities", """["applied"]"""));
        Assert.NotNull(CaptureDb.Entry(path, "entities", """["after"]"""));
        Assert.NotNull(CaptureDb.Entry(path, "entities", """["python"]"""));
        Assert.Equal(0L, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_applying"));
    }

    [Fact]
    public async Task A_leftover_applying_row_committed_by_another_tool_is_removed_by_the_sweep_and_what_it_hid_is_recorded()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);
        CaptureDb.Python(path, """
            db = sqlite3.connect(sys.argv[1], timeout=30)
            db.execute("INSERT INTO _filix_applying VALUES (1)")
            db.commit()
            db.execute("INSERT INTO entities (id, type, name) VALUES ('hidden', 'person', 'H')")
            db.commit()
            """);
        Assert.Null(CaptureDb.Entry(path, "entities", """["hidden"]"""));

        Assert.Equal(new SweepResult(1, 0), await CaptureSweep.RunAsync(db.Database));

        Assert.NotNull(CaptureDb.Entry(path, "entities", """["hidden"]"""));
        Assert.Equal(0L, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_applying"));
        await db.Entities.InsertAsync(Person("captured-again"));
        Assert.NotNull(CaptureDb.Entry(path, "entities", """["captured-again"]"""));
    }

    [Fact]
    public async Task Captures_are_appended_to_the_log_and_folded_every_FoldEvery_at_each_apply_and_by_the_sweep()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);
        const int Fold = CaptureSql.FoldEvery;
        await db.Database.ExecuteAsync(
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {(2 * Fold) + 52}) INSERT INTO entities (id, type, name) SELECT 'f' || i, 'person', 'F' FROM n",
            0, []);
        await db.Database.ExecuteAsync("UPDATE entities SET name = 'again' WHERE id = $p0", 1, ["f1"]);

        // Two folds happened inside the statement (captures FoldEvery and 2 x FoldEvery); the rest waits in the log
        // (fewer than CommitFold.Threshold: the writer's fold at commit leaves it too).
        Assert.Equal(53L, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_log"));
        Assert.Equal(2L * Fold, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_rows"));
        var entries = CaptureDb.Entries(path, "entities");
        Assert.Equal((2 * Fold) + 52, entries.Count);
        Assert.Equal(entries.Max(e => e.Hlc), CaptureDb.Entry(path, "entities", """["f1"]""")!.Hlc); // the update's later version wins

        // Sync's apply starts by inserting its flag: the log is folded before it compares any version.
        var seen = await db.Database.WriteAsync(static (session, _) =>
        {
            session.Execute("INSERT INTO _filix_applying VALUES (1)");
            var folded = (long)session.Scalar("SELECT hlc FROM _filix_rows WHERE tbl = 'entities' AND pk = '[\"f1\"]'")!;
            session.Execute("DELETE FROM _filix_applying");
            return folded;
        }, 0);
        Assert.Equal(CaptureDb.Entry(path, "entities", """["f1"]""")!.Hlc, seen);
        Assert.Equal(0L, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_log"));

        await db.Entities.DeleteAsync("f2");
        Assert.Equal(1L, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_log"));
        Assert.Equal(SweepResult.None, await CaptureSweep.RunAsync(db.Database));
        Assert.Equal(0L, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_log"));
        Assert.Equal(1L, CaptureDb.Scalar(path, "SELECT deleted FROM _filix_rows WHERE pk = '[\"f2\"]'"));
        Assert.Equal(entries.Where(e => e.Key != """["f2"]"""), CaptureDb.Entries(path, "entities").Where(e => e.Key != """["f2"]"""));
    }
}

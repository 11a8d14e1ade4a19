using System.Diagnostics;
using Filix.Domains.Entities;
using Filix.Runtime.Sync.Local;
using Filix.Testing;
using Xunit.Abstractions;

namespace Filix.Sync.Tests.Capture;

/// <summary>What capture's bookkeeping costs outside the write path, on 100,000 rows: the backfill, the sweep the
/// engine runs before each push (two anti-joins), and opening an up-to-date database. Printed for
/// docs/benchmarks.md; the bounds are loose (a shared 2-core machine), the correctness checks are exact.</summary>
public sealed class CaptureCostTests(ITestOutputHelper output)
{
    private const int Rows = 100_000;

    [Fact]
    public async Task Backfill_sweep_and_open_of_100k_rows()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using (var db = await EntitiesDatabase.OpenAsync(path))
        {
            await db.Database.ExecuteAsync(
                $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO entities (id, type, name) SELECT 'e' || i, 'person', 'Name ' || i FROM n",
                0, []);
        }

        CaptureDb.StripCapture(path);
        var backfill = Stopwatch.StartNew();
        await using (await EntitiesDatabase.OpenAsync(path))
        {
        }

        backfill.Stop();
        Assert.Equal((long)Rows, CaptureDb.Scalar(path, "SELECT count(DISTINCT hlc) FROM _filix_rows WHERE tbl = 'entities' AND deleted = 0"));

        var opens = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var open = Stopwatch.StartNew();
            await using (await EntitiesDatabase.OpenAsync(path))
            {
            }

            opens.Add(open.Elapsed.TotalMilliseconds);
        }

        // What an open adds for capture on an up-to-date database: the check that it is current.
        using (var connection = CaptureDb.Connect(path))
        {
            Assert.True(CaptureInstall.IsCurrent(connection, EntitiesSchema.Definition));
            var check = Stopwatch.StartNew();
            for (var i = 0; i < 1000; i++)
            {
                CaptureInstall.IsCurrent(connection, EntitiesSchema.Definition);
            }

            output.WriteLine($"capture check of an open (CaptureInstall.IsCurrent): {check.Elapsed.TotalMicroseconds / 1000:F1} us");
        }

        await using var database = await EntitiesDatabase.OpenAsync(path);
        var idle = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var sweep = Stopwatch.StartNew();
            Assert.Equal(SweepResult.None, await CaptureSweep.RunAsync(database.Database));
            idle.Add(sweep.Elapsed.TotalMilliseconds);
        }

        var full = Stopwatch.StartNew();
        Assert.Equal(SweepResult.None, await database.Database.WriteAsync(static (session, tables) => CaptureSweep.Full(session.Connection, tables), EntitiesSchema.Definition.SyncTables));
        full.Stop();

        // 1,000 rows vanish without their delete trigger (as INSERT OR REPLACE's unique conflicts do), the triggers
        // staying as they are: the counts differ, so the table gets its anti-joins.
        await database.Database.WriteAsync(static (session, _) =>
        {
            var sql = (string)session.Scalar("SELECT sql FROM sqlite_schema WHERE name = '_filix_capture_entities_delete'")!;
            session.Execute("DROP TRIGGER _filix_capture_entities_delete");
            session.Execute("DELETE FROM entities WHERE rowid % 100 = 0");
            session.Execute(sql);
            return 0;
        }, 0);
        var drift = Stopwatch.StartNew();
        Assert.Equal(new SweepResult(0, 1000), await CaptureSweep.RunAsync(database.Database));
        drift.Stop();

        // 1,000 rows vanish and 1,000 appear while the triggers are gone (the counts match): the sweep sees the
        // missing triggers, installs them again and sweeps in full.
        await database.Database.WriteAsync(static (session, _) =>
        {
            session.Execute("DROP TRIGGER _filix_capture_entities_delete");
            session.Execute("DROP TRIGGER _filix_capture_entities_insert");
            session.Execute("DELETE FROM entities WHERE rowid % 100 = 1");
            session.Execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO entities (id, type, name) SELECT 'new' || i, 'person', 'N' FROM n");
            return 0;
        }, 0);
        var busy = Stopwatch.StartNew();
        var found = await CaptureSweep.RunAsync(database.Database);
        busy.Stop();
        Assert.Equal(new SweepResult(1000, 1000), found);
        Assert.Equal(8, CaptureDb.Names(path, "trigger", "\\_filix\\_capture\\_%' ESCAPE '\\").Count);

        output.WriteLine($"backfill of {Rows:N0} rows (open of a database without capture): {backfill.Elapsed.TotalMilliseconds:F0} ms");
        output.WriteLine($"open of an up-to-date database: median {opens.Order().ElementAt(opens.Count / 2):F1} ms (min {opens.Min():F1})");
        output.WriteLine($"sweep before a push, nothing to find (two counts): median {idle.Order().ElementAt(idle.Count / 2):F1} ms (first {idle[0]:F1}); both anti-joins, nothing to find: {full.Elapsed.TotalMilliseconds:F0} ms");
        output.WriteLine($"sweep finding 1,000 silent deletes (counts differ, anti-joins): {drift.Elapsed.TotalMilliseconds:F0} ms; after triggers were dropped (reinstall + full sweep, 1,000 deletes + 1,000 changes): {busy.Elapsed.TotalMilliseconds:F0} ms");
        Assert.InRange(idle.Min(), 0, 10_000);
    }
}

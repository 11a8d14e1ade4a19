using Filix.Reliability.Worker;
using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Runtime.Backups.Restore;
using Filix.Testing;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// SIGKILL in the middle of a restore (the backup checked and decompressed, the current file moved aside, the loss
/// counted, the checked copy renamed into place): no row is lost, since each is either in the database file or in the
/// file kept aside, and running the restore again finishes it.
/// </summary>
public sealed class RestoreKillTests(ITestOutputHelper output)
{
    private const int BackedUp = 20_000;
    private const int After = 500;

    [Fact]
    public async Task A_restore_killed_midway_loses_nothing_and_running_it_again_finishes_it()
    {
        var seed = TortureSeed.Next(output, "restore kills");
        var random = new Random(seed);
        using var folder = TempDirectory.Create("torture-restore");
        var path = folder.File("torture.db");
        await WriteAsync(path, "r", BackedUp);
        var backup = FilixBackup.Take(path);

        var round = 0;
        TortureChild Spawn(string name)
        {
            // Each round starts from a database that has moved on from the backup, so a restore has something to undo.
            WriteAsync(path, "after" + round++, After).GetAwaiter().GetResult();
            return TortureChild.Start(name, null, "restore", path);
        }

        var phase = await MidPhase.CalibrateAsync(Spawn("calibrate"), "restored");
        Assert.Equal(BackedUp, CheckedBy.Rows(path));
        output.WriteLine($"a restore of {BackedUp:N0} rows took {phase} ms");

        var inside = await MidPhase.KillInsideAsync(random, phase, wanted: 3, "restoring", "restored", attempt => Spawn("k" + attempt), (child, landed) =>
        {
            // Every row the database had before the restore is at its path or in the newest file kept aside.
            var aside = Directory.GetFiles(folder.Path, "torture.db.damaged-*").Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).Order().LastOrDefault();
            var atPath = File.Exists(path) ? CheckedBy.Rows(path) : -1;
            var kept = aside is null ? -1 : CheckedBy.Rows(aside);
            output.WriteLine($"{child.Name}: killed {(landed ? "inside" : "after")} the restore; rows at the path {atPath}, in the file kept aside {kept}");
            if (File.Exists(path))
            {
                Assert.Equal("ok", CheckedBy.IntegrityCheck(path));
            }

            Assert.True(atPath == BackedUp + After || kept == BackedUp + After, $"the {BackedUp + After} rows before the restore are neither at the path ({atPath}) nor aside ({kept})");

            // Finishing it: the restore run again puts the backup in place.
            var report = FilixRestore.Restore(path);
            Assert.Equal(backup.File, report.Backup.File);
            Assert.Equal("ok", CheckedBy.IntegrityCheck(path));
            Assert.Equal(BackedUp, CheckedBy.Rows(path));
            return Task.CompletedTask;
        });

        Assert.True(inside > 0, $"No kill landed inside a restore (each took about {phase} ms); every kill was still checked.");
    }

    private static async Task WriteAsync(string path, string child, int rows)
    {
        await using var db = await FilixDatabase.OpenAsync(path, TortureSchema.Definition, FilixOptions.Default with { ShareWriter = false });
        for (var start = 0; start < rows; start += 1000)
        {
            var count = Math.Min(1000, rows - start);
            await db.ExecuteAsync(TortureSchema.Insert, 4, Enumerable.Range(start, count).SelectMany(n => TortureSchema.Row($"{child}-{n}", child, n, 100)).ToArray());
        }
    }
}

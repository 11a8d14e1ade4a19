using Filix.Reliability.Worker;
using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Testing;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// SIGKILL in the middle of taking a backup (snapshot copy, verification, compression, the rename into place, the
/// manifest): the database is untouched, the manifest lists only backups that are complete and verified, and the next
/// backup succeeds and leaves no file of the dead one behind.
/// </summary>
public sealed class BackupKillTests(ITestOutputHelper output)
{
    private const int Rows = 40_000;

    [Fact]
    public async Task A_backup_killed_midway_leaves_the_database_and_the_listed_backups_whole()
    {
        var seed = TortureSeed.Next(output, "backup kills");
        var random = new Random(seed);
        using var folder = TempDirectory.Create("torture-backup");
        var path = folder.File("torture.db");
        await using (var db = await FilixDatabase.OpenAsync(path, TortureSchema.Definition, FilixOptions.Default with { ShareWriter = false }))
        {
            for (var batch = 0; batch < Rows / 1000; batch++)
            {
                await db.ExecuteAsync(TortureSchema.Insert, 4, Enumerable.Range(batch * 1000, 1000).SelectMany(n => TortureSchema.Row("b-" + n, "b", n, 200)).ToArray());
            }
        }

        var phase = await MidPhase.CalibrateAsync(TortureChild.Start("calibrate", null, "backup", path), "backed-up");
        output.WriteLine($"a backup of {Rows:N0} rows took {phase} ms");
        Assert.Single(BackupCatalog.List(path));

        var inside = await MidPhase.KillInsideAsync(random, phase, wanted: 3, "backing-up", "backed-up", attempt => TortureChild.Start("k" + attempt, null, "backup", path), (child, landed) =>
        {
            var listed = BackupCatalog.List(path);
            output.WriteLine($"{child.Name}: killed {(landed ? "inside" : "after")} the backup; {listed.Count} listed");
            Assert.Equal("ok", CheckedBy.IntegrityCheck(path));
            Assert.Equal(Rows, CheckedBy.Rows(path));
            Assert.All(listed, entry =>
            {
                Assert.True(entry.Verified && File.Exists(entry.File), $"listed but not whole: {entry.File}");
                Assert.Equal(Rows, entry.RowCounts["items"]);
            });
            return Task.CompletedTask;
        });

        var last = FilixBackup.Take(path);
        Assert.True(last.Verified);
        var listedFiles = BackupCatalog.List(path).Select(e => e.File).Append(BackupCatalog.ManifestOf(path)).ToHashSet();
        // The lock file that serializes backups stays, as the writer's lock files do. A backup killed after its file was
        // renamed into place and before the manifest listed it leaves that whole file unlisted (never restored by
        // --latest, never pruned: docs/reliability.md, "Known gaps"); nothing temporary or partial may stay.
        var unlisted = Directory.GetFiles(BackupCatalog.FolderOf(path)).Where(f => !listedFiles.Contains(f) && Path.GetFileName(f) != ".lock").ToList();
        output.WriteLine("unlisted after the last backup: " + (unlisted.Count == 0 ? "none" : string.Join(", ", unlisted)));
        var stray = unlisted.Where(f => !(Path.GetFileName(f).StartsWith("torture-", StringComparison.Ordinal) && f.EndsWith(".db.gz", StringComparison.Ordinal))).ToList();
        Assert.True(stray.Count == 0, "temporary files of dead backups left behind: " + string.Join(", ", stray));
        Assert.True(inside > 0, $"No kill landed inside a backup (each took about {phase} ms); every kill was still checked.");
    }
}

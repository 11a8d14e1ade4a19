using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Runtime.Backups.Restore;
using Filix.Testing;

namespace Filix.Reliability.Tests.Backups;

public sealed class RestoreTests
{
    [Fact]
    public async Task Restore_latest_brings_the_backup_back_keeps_the_replaced_file_aside_and_counts_what_it_undoes()
    {
        using var folder = TempDirectory.Create("restore");
        var path = BackupFixture.DatabaseIn(folder);
        BackupEntry backup;
        await using (var database = await BackupFixture.OpenAsync(path))
        {
            await BackupFixture.WritePairsAsync(database, "kept", 50);
            backup = await FilixBackup.TakeAsync(path);

            // After the backup: 7 new pairs, 3 entities renamed, 2 events deleted.
            await BackupFixture.WritePairsAsync(database, "late", 7);
            await database.ExecuteAsync("UPDATE entities SET name = 'renamed' WHERE id = $p0", 1, ["kept-1", "kept-2", "kept-3"]);
            await database.ExecuteAsync("DELETE FROM events WHERE entity_id = $p0", 1, ["kept-4", "kept-5"]);
        }

        var sizeBefore = new FileInfo(path).Length;
        var report = FilixRestore.Restore(path);

        Assert.Equal(backup.File, report.Backup.File);
        Assert.Equal(50, BackupFixture.Count(path, "entities"));
        Assert.Equal(50, BackupFixture.Count(path, "events"));
        var aside = Assert.Single(report.KeptAside, f => f.Contains(".damaged-", StringComparison.Ordinal) && !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
        Assert.Equal(sizeBefore, new FileInfo(aside).Length);
        Assert.Equal(57, BackupFixture.Count(aside, "entities")); // the replaced file, untouched, still readable

        Assert.True(report.Losses.Compared, report.Losses.Note);
        var entities = Assert.Single(report.Losses.Tables, t => t.Table == "entities");
        Assert.Equal((7, 3, 0), (entities.Added, entities.Changed, entities.Deleted));
        var events = Assert.Single(report.Losses.Tables, t => t.Table == "events");
        Assert.Equal((7, 0, 2), (events.Added, events.Changed, events.Deleted));
        Assert.True(entities.Shared);
        Assert.Equal(0, entities.UpstreamHas); // never synced: nothing of it is upstream
        Assert.Equal(19, report.Losses.Total);

        // The restored file opens with Filix again.
        await using var reopened = await BackupFixture.OpenAsync(path);
        await BackupFixture.WritePairAsync(reopened, "after-restore");
    }

    [Fact]
    public async Task A_corrupted_backup_is_refused_naming_the_next_good_one_and_latest_skips_it()
    {
        using var folder = TempDirectory.Create("restore");
        var path = BackupFixture.DatabaseIn(folder);
        var clock = new RetentionTests.SimulatedClock(DateTimeOffset.UtcNow);
        BackupEntry older, newer;
        await using (var database = await BackupFixture.OpenAsync(path))
        {
            await BackupFixture.WritePairsAsync(database, "a", 20);
            older = FilixBackup.Take(path, new BackupOptions { Clock = clock, Retention = null });
            clock.Now = clock.Now.AddMinutes(5);
            await BackupFixture.WritePairsAsync(database, "b", 20);
            newer = FilixBackup.Take(path, new BackupOptions { Clock = clock, Retention = null });
            await BackupFixture.WritePairsAsync(database, "c", 20);
        }

        // Flip bytes in the middle of the newest backup file.
        using (var stream = new FileStream(newer.File, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = stream.Length / 2;
            stream.Write(new byte[64]);
        }

        var before = File.ReadAllBytes(path);
        var ex = Assert.Throws<FilixException>(() => FilixRestore.Restore(path, newer.File));
        Assert.Contains(newer.FileName, ex.Message, StringComparison.Ordinal);
        Assert.Contains("corrupted", ex.Message, StringComparison.Ordinal);
        Assert.Contains("next good one is " + older.FileName, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"filix restore {older.File} --domain entities", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.damaged-*"));

        var report = FilixRestore.Restore(path);
        Assert.Equal(older.File, report.Backup.File);
        var skipped = Assert.Single(report.Skipped);
        Assert.Equal(newer.File, skipped.Backup.File);
        Assert.Equal(20, BackupFixture.Count(path, "entities"));
    }

    [Fact]
    public async Task A_backup_whose_gzip_is_truncated_and_not_in_the_manifest_is_refused()
    {
        using var folder = TempDirectory.Create("restore");
        var path = BackupFixture.DatabaseIn(folder);
        await using (var database = await BackupFixture.OpenAsync(path))
        {
            await BackupFixture.WritePairsAsync(database, "a", 20);
        }

        var good = FilixBackup.Take(path);
        var copy = folder.File("stray.db.gz");
        var bytes = File.ReadAllBytes(good.File);
        File.WriteAllBytes(copy, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<FilixException>(() => FilixRestore.Restore(path, copy));
        Assert.Contains("stray.db.gz", ex.Message, StringComparison.Ordinal);
        Assert.Contains("next good one is " + good.FileName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_refuses_while_a_process_has_the_database_open_and_names_it()
    {
        using var folder = TempDirectory.Create("restore");
        var path = BackupFixture.DatabaseIn(folder);
        await using var database = await BackupFixture.OpenAsync(path);
        await BackupFixture.WritePairsAsync(database, "a", 5);
        FilixBackup.Take(path);
        await BackupFixture.WritePairsAsync(database, "b", 5);

        var ex = Assert.Throws<FilixException>(() => FilixRestore.Restore(path));
        Assert.Contains($"process {Environment.ProcessId} (", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(10, BackupFixture.Count(path, "entities"));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.damaged-*"));
    }
}

using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Testing;

namespace Filix.Reliability.Tests.Backups;

public sealed class BackupTakeTests
{
    [Theory]
    [InlineData(BackupMethod.BackupApi)]
    [InlineData(BackupMethod.VacuumInto)]
    public async Task A_backup_taken_while_writers_write_is_a_consistent_verified_snapshot(BackupMethod method)
    {
        using var folder = TempDirectory.Create("backup");
        var path = BackupFixture.DatabaseIn(folder);
        await using var database = await BackupFixture.OpenAsync(path);
        await BackupFixture.WritePairsAsync(database, "before", 300);

        // Writers keep writing pairs (an entity and its event in one transaction) for the whole backup.
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await BackupFixture.WritePairAsync(database, $"w{w}-{i}");
                Interlocked.Increment(ref written);
            }
        })).ToList();
        while (Volatile.Read(ref written) < 20)
        {
            await Task.Delay(5);
        }

        // Small steps, so writers commit between them: the copy must not mix snapshots.
        var entry = await FilixBackup.TakeAsync(path, new BackupOptions { Method = method, PagesPerStep = 4 });
        var writtenAtEnd = Volatile.Read(ref written);
        stop.Cancel();
        await Task.WhenAll(writers);

        Assert.True(entry.Verified);
        Assert.Equal("ok", entry.Integrity);
        Assert.True(File.Exists(entry.File));
        Assert.Equal(BackupCatalog.FileFor(path, entry.TakenAt), entry.File);
        Assert.Equal(entry.RowCounts["entities"], entry.RowCounts["events"]);
        Assert.InRange(entry.RowCounts["entities"], 300 + 20, 300 + writtenAtEnd);

        // The file decompresses (with plain gzip) to a database that holds exactly the counts recorded.
        var copy = folder.File("copy.db");
        BackupFixture.Gunzip(entry.File, copy);
        Assert.Equal(entry.RowCounts["entities"], BackupFixture.Count(copy, "entities"));
        Assert.Equal(entry.RowCounts["events"], BackupFixture.Count(copy, "events"));
        Assert.False(File.Exists(copy + "-wal"));

        var listed = Assert.Single(BackupCatalog.List(path));
        Assert.Equal(entry.TakenAt, listed.TakenAt);
        Assert.Equal(entry.Sha256, listed.Sha256);
        Assert.Equal(entry.RowCounts, listed.RowCounts);
        Assert.Equal(method == BackupMethod.VacuumInto ? "vacuum-into" : "backup-api", listed.Method);
        Assert.Equal(listed.File, BackupCatalog.LatestVerified(path)!.File);
        Assert.Equal(new[] { Path.GetFileName(entry.File), "manifest.json" }.Order(StringComparer.Ordinal), Directory.GetFiles(BackupCatalog.FolderOf(path)).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_restore_command_names_the_domain_and_the_data_folder()
    {
        using var folder = TempDirectory.Create("backup");
        var path = BackupFixture.DatabaseIn(folder);
        Assert.Equal($"filix restore --latest --domain entities --data {folder.Path}", BackupCatalog.RestoreCommand(path));
        Assert.Null(BackupCatalog.LatestVerified(path));
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(BackupMethod.BackupApi)]
    [InlineData(BackupMethod.VacuumInto)]
    public async Task A_backup_of_a_closed_database_leaves_no_wal_behind_so_the_next_open_is_not_taken_for_a_crash(BackupMethod method)
    {
        using var folder = TempDirectory.Create("backup");
        var path = BackupFixture.DatabaseIn(folder);
        await using (var database = await BackupFixture.OpenAsync(path))
        {
            await BackupFixture.WritePairsAsync(database, "before", 50);
        }

        Assert.False(File.Exists(path + "-wal"));
        FilixBackup.Take(path, new BackupOptions { Method = method });

        // A -wal nobody holds means an unclean close to the health check (and a quick_check on every open after it).
        Assert.False(File.Exists(path + "-wal"), "the backup left an -wal behind");
        Assert.False(File.Exists(path + "-shm"), "the backup left an -shm behind");
        Assert.False(Filix.Runtime.Health.HealthCheck.Quick(path).UncleanClose);
    }

    [Fact]
    public void Backing_up_a_missing_database_names_it()
    {
        using var folder = TempDirectory.Create("backup");
        var ex = Assert.Throws<FilixException>(() => FilixBackup.Take(folder.File("nothing.db")));
        Assert.Contains("nothing.db", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("backups")));
    }
}

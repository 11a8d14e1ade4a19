using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Testing;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Backups;

/// <summary>A full disk during a backup: the backup fails with a message that says so, leaves no file behind and no
/// entry listed, and the database is untouched (same rows, passes integrity_check, still takes writes).</summary>
public sealed class FullDiskTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(false)] // room for the uncompressed copy, not for the compressed file as well: fails mid-write
    [InlineData(true)] // not even room for the copy: refused before anything is written
    public async Task A_backup_onto_a_full_disk_fails_cleanly_and_leaves_the_database_untouched(bool tiny)
    {
        using var folder = TempDirectory.Create("fulldisk");
        var path = BackupFixture.DatabaseIn(folder);
        await using (var database = await BackupFixture.OpenAsync(path))
        {
            // Random names compress poorly, so copy + compressed file need ~1.7x the database.
            var random = new Random(7);
            for (var i = 0; i < 40; i++)
            {
                await database.ExecuteAsync("INSERT INTO entities (id, type, name) VALUES ($p0, 't', $p1)", 2,
                    Enumerable.Range(0, 100).SelectMany(j => new object?[] { $"e{i}-{j}", Convert.ToBase64String(Enumerable.Range(0, 300).Select(_ => (byte)random.Next(256)).ToArray()) }).ToArray());
            }
        }

        var size = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        var backups = BackupCatalog.FolderOf(path);
        using var disk = FullDisk.TryMount(backups, tiny ? size / 2 : size * 5 / 4, out var why);
        if (disk is null)
        {
            log.WriteLine($"tmpfs not available ({why}); the RLIMIT_FSIZE test in BackupCliTests covers a full disk in a child process.");
            Assert.False(string.IsNullOrEmpty(why));
            return;
        }

        var rows = BackupFixture.Count(path, "entities");
        var ex = Assert.Throws<FilixException>(() => FilixBackup.Take(path));
        log.WriteLine(ex.Message);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(tiny ? "free" : "the disk is full", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was", ex.Message, StringComparison.Ordinal);

        // Nothing left behind: no backup file, no temporary file, nothing listed.
        Assert.DoesNotContain(Directory.GetFiles(backups), f => !f.EndsWith(".lock", StringComparison.Ordinal));
        Assert.Empty(BackupCatalog.List(path));
        Assert.Null(BackupCatalog.LatestVerified(path));

        // The database: same rows, intact, writable.
        Assert.Equal(rows, BackupFixture.Count(path, "entities"));
        using (var raw = BackupFixture.Raw(path))
        using (var check = raw.CreateCommand())
        {
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", check.ExecuteScalar());
        }

        await using var reopened = await BackupFixture.OpenAsync(path);
        await BackupFixture.WritePairAsync(reopened, "after-full-disk");
    }
}

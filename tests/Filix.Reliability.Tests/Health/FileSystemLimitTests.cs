using Filix.Domains.Entities;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Health;

/// <summary>A read-only folder, a read-only file, and a disk that fills during a write and during a migration: a
/// clear error naming the file and the fix, earlier data intact, and the database opens fine once the cause is gone.</summary>
public sealed class FileSystemLimitTests(ITestOutputHelper output) : IDisposable
{
    private readonly HealthFixture _files = new("limits");

    public void Dispose()
    {
        FileSystemLimits.Immutable(_files.Folder.Path, on: false);
        FileSystemLimits.Immutable(_files.Database, on: false);
        _files.Dispose();
    }

    [Fact]
    public async Task A_read_only_folder_is_refused_naming_the_folder_and_the_fix()
    {
        await _files.CreateAsync(rows: 3);
        var before = _files.Snapshot();
        if (FileSystemLimits.Immutable(_files.Folder.Path, on: true) is { } reason)
        {
            output.WriteLine($"Cannot make the folder read-only here ({reason}); only the unchanged file is checked.");
            Assert.Equal(before[_files.Database], File.ReadAllBytes(_files.Database));
            return;
        }

        var error = await Assert.ThrowsAsync<FilixException>(() => EntitiesDatabase.OpenAsync(_files.Database));

        Assert.Equal(_files.Database, error.Path);
        Assert.Contains($"The folder '{_files.Folder.Path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not writable", error.Message, StringComparison.Ordinal);
        Assert.Contains("immutable", error.Message, StringComparison.Ordinal);
        Assert.Contains("point --data at it", error.Message, StringComparison.Ordinal);
        HealthFixture.AssertUnchanged(before, _files.Snapshot());

        Assert.Null(FileSystemLimits.Immutable(_files.Folder.Path, on: false));
        await using var db = await EntitiesDatabase.OpenAsync(_files.Database);
        Assert.Equal(3, await db.Entities.CountAsync());
    }

    [Fact]
    public async Task A_read_only_file_in_a_writable_folder_is_refused_naming_the_file_and_the_fix()
    {
        await _files.CreateAsync(rows: 3);
        var before = _files.Snapshot();
        if (FileSystemLimits.Immutable(_files.Database, on: true) is { } reason)
        {
            output.WriteLine($"Cannot make the file read-only here ({reason}); only the unchanged file is checked.");
            Assert.Equal(before[_files.Database], File.ReadAllBytes(_files.Database));
            return;
        }

        var error = await Assert.ThrowsAsync<FilixException>(() => EntitiesDatabase.OpenAsync(_files.Database));

        Assert.Equal(_files.Database, error.Path);
        Assert.Contains($"The database '{_files.Database}' is not writable", error.Message, StringComparison.Ordinal);
        Assert.Contains("chattr -i", error.Message, StringComparison.Ordinal);
        HealthFixture.AssertUnchanged(before, _files.Snapshot());
        Assert.False(File.Exists(_files.Wal));
    }

    [Fact]
    public async Task A_disk_that_fills_during_writes_fails_the_write_clearly_and_keeps_every_acknowledged_row()
    {
        var mount = _files.Folder.File("small");
        Directory.CreateDirectory(mount);
        if (FileSystemLimits.MountTmpfs(mount, kilobytes: 2048) is { } reason)
        {
            output.WriteLine($"Cannot mount a small file system here ({reason}): the full-disk write is not tested.");
            Assert.False(Directory.EnumerateFileSystemEntries(mount).Any());
            return;
        }

        try
        {
            var path = Path.Combine(mount, "entities.db");
            var acknowledged = 0;
            FilixException? full = null;
            await using (var db = await EntitiesDatabase.OpenAsync(path))
            {
                var filler = FileSystemLimits.Fill(mount, leaveBytes: 256 * 1024);
                for (var batch = 0; batch < 1000 && full is null; batch++)
                {
                    try
                    {
                        await db.Entities.InsertManyAsync(Enumerable.Range(batch * 50, 50).Select(HealthFixture.Row));
                        acknowledged += 50;
                    }
                    catch (FilixException ex)
                    {
                        full = ex;
                    }
                }

                Assert.NotNull(full);
                Assert.Equal(path, full.Path);
                Assert.Contains("disk is full", full.Message, StringComparison.Ordinal);
                Assert.Contains("Free some space", full.Message, StringComparison.Ordinal);
                Assert.True(acknowledged > 0, "the disk was full before the first write");
                Assert.Equal(acknowledged, await db.Entities.CountAsync());
                File.Delete(filler);
            }

            await using var again = await EntitiesDatabase.OpenAsync(path);
            Assert.True(again.Database.Health.IsHealthy, again.Database.Health.Describe());
            Assert.Equal(acknowledged, await again.Entities.CountAsync());
            await again.Entities.InsertAsync(HealthFixture.Row(1_000_000));
            output.WriteLine($"{acknowledged} rows acknowledged before the disk filled: {full.Message}");
        }
        finally
        {
            FileSystemLimits.Unmount(mount);
        }
    }

    [Fact]
    public async Task A_disk_that_fills_during_a_migration_rolls_it_back_says_so_and_the_database_opens_afterwards()
    {
        var mount = _files.Folder.File("small");
        Directory.CreateDirectory(mount);
        if (FileSystemLimits.MountTmpfs(mount, kilobytes: 4096) is { } reason)
        {
            output.WriteLine($"Cannot mount a small file system here ({reason}): the full-disk migration is not tested.");
            Assert.False(Directory.EnumerateFileSystemEntries(mount).Any());
            return;
        }

        try
        {
            var path = Path.Combine(mount, "entities.db");
            await using (var db = await EntitiesDatabase.OpenAsync(path))
            {
                await db.Entities.InsertManyAsync(Enumerable.Range(0, 4000).Select(HealthFixture.Row));
            }

            // The backup every migration of an existing database takes first goes to another disk (its folder a
            // link there), so that it succeeds and it is the migration itself that meets the full disk. With the
            // backups on the full disk the migration is refused before it starts (Backups/FullDiskTests).
            var backups = _files.Folder.File("backups-elsewhere");
            Directory.CreateDirectory(backups);
            Directory.CreateSymbolicLink(Path.Combine(mount, "backups"), backups);
            var filler = FileSystemLimits.Fill(mount, leaveBytes: 128 * 1024);

            // A later build's migration that needs more room than is left: an index over every row's long name.
            var current = EntitiesSchema.Definition;
            var grown = new Migration("9000", "index_names", "test", "health-test-hash", "CREATE INDEX \"ix_health_fill\" ON \"entities\" (\"name\", \"id\", \"type\");", string.Empty);
            var later = new DatabaseSchema
            {
                Domain = current.Domain,
                SchemaHash = grown.SchemaHash,
                SourceFile = current.SourceFile,
                Tables = current.Tables,
                SqliteDdl = [.. current.SqliteDdl, grown.SqliteSql.TrimEnd(';')],
                PostgresDdl = current.PostgresDdl,
                Migrations = [.. current.Migrations, grown],
                SyncTables = current.SyncTables,
            };

            var error = await Assert.ThrowsAsync<FilixException>(() => FilixDatabase.OpenAsync(path, later));
            output.WriteLine($"free before the migration: {new DriveInfo(mount).AvailableFreeSpace} bytes; {error.Message}");

            Assert.Equal(path, error.Path);
            Assert.Contains($"Opening '{path}' failed: the disk is full", error.Message, StringComparison.Ordinal);
            Assert.Contains("migration that was running was rolled back", error.Message, StringComparison.Ordinal);
            Assert.Contains("Free some space", error.Message, StringComparison.Ordinal);
            output.WriteLine(error.Message);
            File.Delete(filler);

            await using var again = await EntitiesDatabase.OpenAsync(path);
            Assert.True(again.Database.Health.IsHealthy, again.Database.Health.Describe());
            Assert.Empty(again.Database.Migrations.Pending);
            Assert.Equal(4000, await again.Entities.CountAsync());
        }
        finally
        {
            FileSystemLimits.Unmount(mount);
        }
    }
}

using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Runtime.Migrations;
using Filix.Testing;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Backups;

/// <summary>A backup before every migration that changes an existing database, and none otherwise.</summary>
public sealed class MigrationBackupTests(ITestOutputHelper log)
{
    private static readonly FilixOptions Options = new() { ShareWriter = false };

    private static DatabaseSchema At(int version)
    {
        string[][] ddl =
        [
            ["CREATE TABLE \"notes\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"body\" TEXT NOT NULL) STRICT"],
            ["CREATE TABLE \"notes\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"body\" TEXT NOT NULL, \"tag\" TEXT) STRICT"],
        ];
        string[] sql = [ddl[0][0] + ";", "ALTER TABLE \"notes\" ADD COLUMN \"tag\" TEXT;"];
        return new DatabaseSchema
        {
            Domain = "notes",
            SchemaHash = "hash-" + version,
            SourceFile = "notes.filix.yaml",
            Tables = ["notes"],
            SqliteDdl = ddl[version - 1],
            PostgresDdl = [],
            Migrations = Enumerable.Range(1, version).Select(i => new Migration($"000{i}", "step_" + i, "sum-" + i, "hash-" + i, sql[i - 1], "")).ToList(),
        };
    }

    private static async Task CreateV1(string path)
    {
        await using var database = await FilixDatabase.OpenAsync(path, At(1), Options);
        await database.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($p0, $p1)", 2, [1L, "a", 2L, "b", 3L, "c"]);
    }

    [Fact]
    public async Task Migrating_an_existing_database_backs_it_up_first_and_a_new_or_current_one_is_not_backed_up()
    {
        using var folder = TempDirectory.Create("migration-backup");
        var path = folder.File("notes.db");
        await CreateV1(path);
        Assert.Empty(BackupCatalog.List(path)); // a new file: nothing to lose

        await using (var migrated = await FilixDatabase.OpenAsync(path, At(2), Options))
        {
            Assert.Single(migrated.Migrations.Pending);
        }

        var backup = Assert.Single(BackupCatalog.List(path));
        Assert.Equal("migration", backup.Reason);
        Assert.Equal("hash-1", backup.SchemaHash); // taken before the migration
        Assert.Equal(3, backup.RowCounts["notes"]);

        await using (await FilixDatabase.OpenAsync(path, At(2), Options))
        {
        }

        Assert.Single(BackupCatalog.List(path)); // nothing pending: no second backup
    }

    [Fact]
    public async Task When_the_backup_before_a_migration_fails_the_migration_does_not_run()
    {
        using var folder = TempDirectory.Create("migration-backup");
        var path = folder.File("notes.db");
        await CreateV1(path);
        using var disk = FullDisk.TryMount(BackupCatalog.FolderOf(path), 4096, out var why);
        if (disk is null)
        {
            log.WriteLine($"tmpfs not available ({why}): the failing-backup path is covered by FullDiskTests' RLIMIT_FSIZE sibling only.");
            Assert.False(string.IsNullOrEmpty(why));
            return;
        }

        var ex = await Assert.ThrowsAsync<FilixException>(() => FilixDatabase.OpenAsync(path, At(2), Options));
        log.WriteLine(ex.Message);
        Assert.Contains("Not migrating", ex.Message, StringComparison.Ordinal);
        Assert.Contains(MigrationBackup.Variable + "=off", ex.Message, StringComparison.Ordinal);

        // Still the old schema with its rows.
        using var raw = BackupFixture.Raw(path);
        using var columns = raw.CreateCommand();
        columns.CommandText = "SELECT count(*) FROM pragma_table_info('notes') WHERE name = 'tag'";
        Assert.Equal(0L, columns.ExecuteScalar());
        Assert.Equal(3, BackupFixture.Count(path, "notes"));
    }
}

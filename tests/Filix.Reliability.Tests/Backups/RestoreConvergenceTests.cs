using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Runtime.Backups.Restore;
using Filix.Runtime.Sync;
using Filix.Testing;
using Filix.Testing.Postgres;

namespace Filix.Reliability.Tests.Backups;

[CollectionDefinition(Name)]
public sealed class BackupPostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "backups-postgres";
}

/// <summary>
/// A machine restored from an older backup converges with the upstream and loses none of the rows it had pushed.
/// Without the restore's parking (<c>SyncRecovery</c>) this failed: a pull skips rows whose <c>synced_from</c> is
/// this machine (no echo), so the rows it pushed after the backup never came back while the other machine kept them.
/// </summary>
[Collection(BackupPostgresCollection.Name)]
public sealed class RestoreConvergenceTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_machine_restored_from_an_older_backup_pulls_back_every_row_it_had_pushed()
    {
        var upstream = await postgres.CreateDatabaseAsync("restore_converge");
        var optionsA = new SyncOptions { Upstream = upstream, MachineId = "machine-a" };
        var optionsB = new SyncOptions { Upstream = upstream, MachineId = "machine-b" };
        using var folderA = TempDirectory.Create("machine-a");
        using var folderB = TempDirectory.Create("machine-b");
        var pathA = BackupFixture.DatabaseIn(folderA);
        var pathB = BackupFixture.DatabaseIn(folderB);

        await using (var a = await BackupFixture.OpenAsync(pathA))
        {
            await BackupFixture.WritePairsAsync(a, "early", 10);
            await FilixSync.SyncAsync(a, optionsA);
            await FilixBackup.TakeAsync(pathA);

            // After the backup, pushed: 10 new pairs, 2 renames, 1 event deleted.
            await BackupFixture.WritePairsAsync(a, "pushed", 10);
            await a.ExecuteAsync("UPDATE entities SET name = 'renamed after the backup' WHERE id = $p0", 1, ["early-1", "early-2"]);
            await a.ExecuteAsync("DELETE FROM events WHERE entity_id = $p0", 1, ["early-3"]);
            await FilixSync.SyncAsync(a, optionsA);

            // After the last push: 3 pairs that never leave the machine before it is restored.
            await BackupFixture.WritePairsAsync(a, "unpushed", 3);
        }

        await using (var b = await BackupFixture.OpenAsync(pathB))
        {
            await FilixSync.SyncAsync(b, optionsB);
        }

        var report = FilixRestore.Restore(pathA);
        var entities = Assert.Single(report.Losses.Tables, t => t.Table == "entities");
        Assert.Equal((13, 2, 0), (entities.Added, entities.Changed, entities.Deleted));
        Assert.Equal((12, 3), (entities.UpstreamHas, entities.LostForGood));
        var events = Assert.Single(report.Losses.Tables, t => t.Table == "events");
        Assert.Equal((13, 0, 1), (events.Added, events.Changed, events.Deleted));
        Assert.Equal((11, 3), (events.UpstreamHas, events.LostForGood));

        await using (var a = await BackupFixture.OpenAsync(pathA))
        {
            await FilixSync.SyncAsync(a, optionsA);
            await FilixSync.SyncAsync(a, optionsA);
        }

        await using (var b = await BackupFixture.OpenAsync(pathB))
        {
            await FilixSync.SyncAsync(b, optionsB);
        }

        // A holds every row it had pushed, exactly as B (which got them through the upstream) holds them.
        var rowsA = Rows(pathA);
        var rowsB = Rows(pathB);
        Assert.Equal(rowsB, rowsA);
        Assert.Contains("entities|pushed-9|name of pushed-9" + new string('x', 200), rowsA);
        Assert.Contains("entities|early-1|renamed after the backup", rowsA);
        Assert.DoesNotContain(rowsA, r => r.StartsWith("events|early-3|", StringComparison.Ordinal));
        Assert.DoesNotContain(rowsA, r => r.Contains("unpushed", StringComparison.Ordinal));
        Assert.Equal(20, rowsA.Count(r => r.StartsWith("entities|", StringComparison.Ordinal)));
        Assert.Equal(19, rowsA.Count(r => r.StartsWith("events|", StringComparison.Ordinal)));
    }

    private static List<string> Rows(string path)
    {
        var rows = new List<string>();
        using var connection = BackupFixture.Raw(path);
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT 'entities|' || id || '|' || name FROM entities UNION ALL " +
            "SELECT 'events|' || entity_id || '|' || role || '|' || role_type || '|' || status FROM events ORDER BY 1";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}

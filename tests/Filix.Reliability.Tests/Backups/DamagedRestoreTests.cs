using Filix.Runtime.Backups;
using Filix.Runtime.Backups.Restore;
using Filix.Testing;

namespace Filix.Reliability.Tests.Backups;

/// <summary>The case restores exist for: the live file is damaged. The restore still brings the backup back, keeps
/// the damaged file aside byte for byte, and says which tables it could not compare.</summary>
public sealed class DamagedRestoreTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [Fact]
    public async Task Restoring_over_a_damaged_file_reports_what_it_could_not_read_and_keeps_the_file_as_it_was()
    {
        using var folder = TempDirectory.Create("damaged");
        var path = BackupFixture.DatabaseIn(folder);
        await using (var database = await BackupFixture.OpenAsync(path))
        {
            await BackupFixture.WritePairsAsync(database, "a", 400);
            await FilixBackup.TakeAsync(path);
            await BackupFixture.WritePairsAsync(database, "b", 100);
        }

        // Every page into the file, then one page in the middle zeroed.
        long pages, pageSize;
        using (var raw = BackupFixture.Raw(path, readOnly: false))
        using (var command = raw.CreateCommand())
        {
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA page_count";
            pages = (long)command.ExecuteScalar()!;
            command.CommandText = "PRAGMA page_size";
            pageSize = (long)command.ExecuteScalar()!;
        }

        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Position = pages / 2 * pageSize;
            stream.Write(new byte[pageSize]);
        }

        var damaged = File.ReadAllBytes(path);
        var report = FilixRestore.Restore(path);
        log.WriteLine($"compared: {report.Losses.Compared}; note: {report.Losses.Note}; tables: {string.Join(", ", report.Losses.Tables.Select(t => $"{t.Table} +{t.Added} ~{t.Changed} -{t.Deleted} {t.Error}"))}");

        Assert.Equal(400, BackupFixture.Count(path, "entities"));
        var aside = Assert.Single(report.KeptAside, f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
        Assert.Equal(damaged, File.ReadAllBytes(aside));

        // Either the file could not be compared at all, or some tables could not be read: the report says which.
        if (report.Losses.Compared)
        {
            Assert.Contains(report.Losses.Tables, t => t.Error is not null);
            Assert.Contains("could not be read", report.Losses.Note, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("cannot", report.Losses.Note, StringComparison.Ordinal);
        }
    }
}

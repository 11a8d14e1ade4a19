using Filix.Reliability.Worker;
using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Runtime.Backups.Restore;
using Filix.Runtime.Health;
using Filix.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// Damage injected into a copy of a database (<see cref="Corruption"/>) as a crash leaves it (its WAL beside it, so
/// the next open runs <c>quick_check</c>): the open detects it, opens read-only and refuses writes naming the restore;
/// the restore brings back the last verified backup and reports what it lost. The original is untouched.
/// </summary>
public sealed class CorruptionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("zeroed page")]
    [InlineData("random bytes in a page")]
    [InlineData("truncated file")]
    public async Task Damage_to_the_database_file_is_detected_on_open_and_the_restore_brings_back_the_last_verified_backup(string damage)
    {
        var seed = TortureSeed.Next(output, damage);
        var random = new Random(seed);
        using var folder = TempDirectory.Create("torture-corrupt");
        var specimen = await Specimen.CreateAsync(folder.File("original"), withWal: false);
        var copy = specimen.CopyTo(folder.File("copy"));
        var backup = FilixBackup.Take(copy);
        Assert.Equal(Specimen.FileRows, backup.RowCounts["items"]);
        var later = await Specimen.AppendWalAsync(copy, rows: 120); // committed after the backup, left in the WAL as a crash leaves it

        var pageSize = Corruption.PageSize(copy);
        var inWal = Corruption.WalPages(copy + "-wal", pageSize);
        var pages = Corruption.PageCount(copy);
        var page = Enumerable.Range(0, 1000).Select(_ => random.NextInt64(2, pages + 1)).First(p => !inWal.Contains(p));
        switch (damage)
        {
            case "zeroed page":
                Corruption.ZeroPage(copy, page);
                break;
            case "random bytes in a page":
                Corruption.RandomBytes(copy, page, random);
                break;
            default:
                Corruption.Truncate(copy, random.NextDouble() * 0.6 + 0.2);
                break;
        }

        var health = HealthCheck.OnOpen(copy);
        output.WriteLine($"{damage} (page {page} of {pages}): {health.Describe()}");
        Assert.False(health.IsHealthy, $"{damage} on page {page} was not detected on open");
        Assert.NotEqual("ok", CheckedBy.IntegrityCheck(copy));

        // Opened read-only with every write refused, or (when SQLite cannot read even the schema) refused at once; either
        // way the message names the file's restore command.
        FilixDatabase? db = null;
        try
        {
            db = await FilixDatabase.OpenAsync(copy, TortureSchema.Definition, FilixOptions.Default with { ShareWriter = false, CreateIfMissing = false });
            Assert.True(db.IsReadOnly);
            var refused = await Assert.ThrowsAsync<FilixException>(() => db.ExecuteAsync(TortureSchema.Insert, 4, TortureSchema.Row("x", "x", 0, 1)));
            Assert.Contains(BackupCatalog.RestoreCommand(copy), refused.Message);
        }
        catch (FilixException refused) when (db is null)
        {
            Assert.Contains(BackupCatalog.RestoreCommand(copy), refused.Message);
        }
        finally
        {
            if (db is not null)
            {
                await db.DisposeAsync();
            }
        }

        var report = FilixRestore.Restore(copy);
        output.WriteLine($"restored {report.Backup.FileName}; kept aside {string.Join(", ", report.KeptAside)}; losses: {report.Losses.Note} " +
            string.Join(", ", report.Losses.Tables.Select(t => $"{t.Table} +{t.Added} ~{t.Changed} -{t.Deleted} {t.Error}")));
        Assert.Equal(backup.File, report.Backup.File);
        Assert.Contains(report.KeptAside, f => f.StartsWith(copy + ".damaged-", StringComparison.Ordinal) && !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
        var items = Assert.Single(report.Losses.Tables, t => t.Table == "items");
        if (items.Error is null)
        {
            // The damaged file could still be read: the loss is exactly the rows written after the backup.
            Assert.Equal((later, 0L, 0L), (items.Added, items.Changed, items.Deleted));
        }
        else
        {
            Assert.Contains(copy, string.Join(" ", report.KeptAside));
        }

        Assert.Equal("ok", CheckedBy.IntegrityCheck(copy));
        Assert.Equal(Specimen.FileRows, CheckedBy.Rows(copy));
        Assert.Equal("ok", CheckedBy.IntegrityCheck(specimen.Path));
    }

    [Theory]
    [InlineData("truncated WAL")]
    [InlineData("mismatched WAL salt")]
    public async Task Damage_to_the_WAL_loses_committed_transactions_that_integrity_check_cannot_see(string damage)
    {
        var seed = TortureSeed.Next(output, damage);
        var random = new Random(seed);
        using var folder = TempDirectory.Create("torture-corrupt");
        var specimen = await Specimen.CreateAsync(folder.File("original"), withWal: true);
        var copy = specimen.CopyTo(folder.File("copy"));
        specimen.Release();
        if (damage == "truncated WAL")
        {
            Corruption.TruncateWal(copy + "-wal", random.NextDouble() * 0.5 + 0.2);
        }
        else
        {
            Corruption.MismatchWalSalt(copy + "-wal");
        }

        // SQLite reads a WAL only up to its last intact commit and ignores frames of another salt, by design: a torn tail
        // is what a power cut leaves, and old frames stay in the file after the WAL restarts. So the file passes
        // integrity_check while committed rows are gone; only a look at the WAL itself, before the first open rewrites
        // it, can tell (docs/reliability.md, "Known gaps").
        var health = HealthCheck.Quick(copy);
        output.WriteLine($"HealthCheck.Quick: unclean close {health.UncleanClose}; {health.Describe()}");
        Assert.True(health.UncleanClose);
        var found = CheckedBy.IntegrityCheck(copy);
        var rows = CheckedBy.Rows(copy);
        output.WriteLine($"{damage}: integrity_check {found}; {rows} of {Specimen.FileRows + Specimen.WalRows} rows left");
        Assert.Equal("ok", found);
        Assert.InRange(rows, Specimen.FileRows, Specimen.FileRows + Specimen.WalRows - 1);
    }
}

/// <summary>What a plain SQLite connection finds in a file.</summary>
internal static class CheckedBy
{
    /// <summary><c>ok</c>, what <c>integrity_check</c> reports, or the error that stopped it. Read-only: a read-write
    /// connection would recover the WAL and, closing, checkpoint it into the damaged file and delete it, erasing the
    /// mark of the unclean close that makes the next open run quick_check.</summary>
    public static string IntegrityCheck(string path)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            return Survivors.IntegrityCheck(connection);
        }
        catch (SqliteException ex)
        {
            return $"SQLite error {ex.SqliteErrorCode}: {ex.Message}";
        }
    }

    public static long Rows(string path)
    {
        using var connection = Survivors.Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM items";
        return (long)command.ExecuteScalar()!;
    }
}

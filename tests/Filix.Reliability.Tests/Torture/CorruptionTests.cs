using Filix.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// Damage injected into a copy of a healthy database (<see cref="Corruption"/>) is detected when the copy is opened
/// and checked; the original is untouched.
/// </summary>
public sealed class CorruptionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("zeroed page")]
    [InlineData("random bytes in a page")]
    [InlineData("truncated file")]
    public async Task Damage_to_the_database_file_is_detected(string damage)
    {
        var seed = TortureSeed.Next(output, damage);
        var random = new Random(seed);
        using var folder = TempDirectory.Create("torture-corrupt");
        var specimen = await Specimen.CreateAsync(folder.File("original"), withWal: false);
        var copy = specimen.CopyTo(folder.File("copy"));
        var pages = Corruption.PageCount(copy);
        var page = random.NextInt64(2, pages + 1);
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

        var found = Detect(copy);
        output.WriteLine($"{damage} (page {page} of {pages}): {found}");
        Assert.NotEqual("ok", found);
        Assert.Equal("ok", Detect(specimen.Path));
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

        // SQLite reads a WAL only up to its last intact commit and ignores frames of another salt: by design, since a torn
        // tail is what a crash leaves. So the file passes integrity_check and committed rows are silently gone; only a
        // check of the WAL itself (its length in whole frames, its salts) can tell, before the first open rewrites it.
        var found = Detect(copy);
        var rows = Rows(copy);
        output.WriteLine($"{damage}: integrity_check {found}; {rows} of {Specimen.FileRows + Specimen.WalRows} rows left");
        Assert.Equal("ok", found);
        Assert.InRange(rows, Specimen.FileRows, Specimen.FileRows + Specimen.WalRows - 1);
    }

    /// <summary>What opening and checking the file finds: <c>ok</c>, or what SQLite reports.</summary>
    internal static string Detect(string path)
    {
        try
        {
            using var connection = Survivors.Open(path);
            return Survivors.IntegrityCheck(connection);
        }
        catch (SqliteException ex)
        {
            return $"SQLite error {ex.SqliteErrorCode}: {ex.Message}";
        }
    }

    private static long Rows(string path)
    {
        using var connection = Survivors.Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM items";
        return (long)command.ExecuteScalar()!;
    }
}

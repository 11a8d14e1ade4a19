using Filix.Cli.Seeding;
using Filix.Domains.Entities;
using Filix.Runtime;
using Filix.Testing;

namespace Filix.Cli.Tests;

public sealed class ReadBackTests
{
    [Fact]
    public async Task A_read_back_that_disagrees_names_the_database_by_its_full_path()
    {
        using var temp = TempDirectory.Create("cli");
        var path = temp.File("entities.db");
        await using var database = await EntitiesDatabase.OpenAsync(path);
        var read = new ReadBack(database.Database, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<FilixException>(() => read.ScanAsync("events", _ => ValueTask.FromResult(5L), _ => None()));

        Assert.StartsWith("Reading back the entities database failed: scanning 'events' returned 0 rows, but counting it gave 5.", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'sqlite3 \"{path}\" \"PRAGMA integrity_check\"'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.Path);
    }

    private static async IAsyncEnumerable<int> None()
    {
        await Task.CompletedTask;
        yield break;
    }
}

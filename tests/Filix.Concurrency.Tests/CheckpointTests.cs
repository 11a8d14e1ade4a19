using Filix.Concurrency.Worker;
using Filix.Runtime;

namespace Filix.Concurrency.Tests;

/// <summary>The WAL is checkpointed in the background and stays bounded under continuous writes.</summary>
public sealed class CheckpointTests
{
    [Fact]
    public async Task Under_continuous_writes_the_wal_is_checkpointed_and_restarted_so_it_stays_bounded()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();

        // ~50 MB of pages (rows and their key index) in 60 commits: without checkpoints and restarts the WAL would
        // hold every page written (about 170 MB here); checkpointed and restarted, it stays near the 16 MiB restart mark.
        var payload = new string('x', 2000);
        long largestWal = 0;
        for (var batch = 0; batch < 60; batch++)
        {
            var rows = Enumerable.Range(0, 200).Select(i => new TestSchema.Row($"b{batch}-{i}-{payload}", "p", batch, i)).ToList();
            await db.WriteAsync(static (session, rows) => rows.All(row => TestSchema.Write(session, row)), rows);
            largestWal = Math.Max(largestWal, new FileInfo(temp.Path + "-wal").Length);
            await Task.Delay(25);
        }

        Assert.InRange(largestWal, 1, 64L * 1024 * 1024);
        Assert.Equal(60 * 200, temp.LogCounts().Count);
    }
}

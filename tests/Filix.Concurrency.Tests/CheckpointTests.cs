using Filix.Concurrency.Worker;
using Filix.Runtime;
using Filix.Runtime.Writing;

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
        // hold every page written (about 170 MB here); checkpointed and restarted, it stays far below that.
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

    [Fact]
    public async Task When_background_passes_keep_failing_the_writer_checkpoints_itself_and_the_wal_stops_growing()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();
        db.Writer.Checkpointer.FailPasses = true; // as if another process's checkpoint always held the lock

        var payload = new string('x', 1000);
        var batch = 0;
        async Task CommitAsync()
        {
            var rows = Enumerable.Range(0, 100).Select(i => new TestSchema.Row($"b{batch}-{i}-{payload}", "p", batch, i)).ToList();
            batch++;
            await db.WriteAsync(static (session, rows) => rows.All(row => TestSchema.Write(session, row)), rows);
        }

        // No assumption on machine speed. How many commits pass before the writer takes over, and between two of
        // its checkpoints, depends on how fast commits go next to the 100 ms background passes (a fixed bound on
        // that failed once under load). What does not depend on it: without the fallback nothing checkpoints, the
        // WAL is never restarted and grows by about a megabyte with every commit, without end; with it, the writer
        // checkpoints again and again, each next transaction restarts the WAL from its beginning, and once the file
        // is as large as the longest stretch between two checkpoints it stops growing. So commit until the file
        // has kept its size over StableCommits commits in a row; a WAL past MaxWal (about a thousand commits
        // without reuse, however fast or slow they were) fails the test.
        const int StableCommits = 20;
        const long MaxWal = 1L << 30;
        var stable = 0;
        var walBytes = 0L;
        while (stable < StableCommits)
        {
            await CommitAsync();
            var now = new FileInfo(temp.Path + "-wal").Length;
            stable = now == walBytes && db.Writer.Checkpointer.WriterCheckpoints > 0 ? stable + 1 : 0;
            walBytes = now;
            Assert.True(walBytes < MaxWal,
                $"The WAL kept growing: {walBytes:N0} bytes after {batch} commits, {db.Writer.Checkpointer.WriterCheckpoints} writer checkpoint(s).");
        }

        Assert.True(db.Writer.Checkpointer.WriterCheckpoints > 0);
        Assert.Equal(batch * 100, temp.LogCounts().Count);
    }

    [Fact]
    public async Task A_process_whose_writer_is_idle_runs_no_checkpoint_passes()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();
        Assert.True(client.Shared!.IsClient);

        // The client's writes are committed by the owner's writer: the owner checkpoints, the client does not
        // contend with it for the checkpoint lock.
        for (var i = 0; i < 20; i++)
        {
            await TestSchema.WriteSharedAsync(client, new TestSchema.Row($"r{i}", "p", 0, 0));
            await Task.Delay(20);
        }

        await Eventually.TrueAsync(() => owner.Writer.CheckpointPasses > 0);
        Assert.Equal(0, client.Writer.CheckpointPasses);

        // Once the owner's writer goes idle, so does its checkpoint: one pass after the last commit, then none.
        await Task.Delay(3 * Checkpointer.Interval);
        var passes = owner.Writer.CheckpointPasses;
        await Task.Delay(3 * Checkpointer.Interval);
        Assert.Equal(passes, owner.Writer.CheckpointPasses);
    }
}

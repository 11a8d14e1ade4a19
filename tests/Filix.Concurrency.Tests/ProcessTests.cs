using Filix.Concurrency.Worker;

namespace Filix.Concurrency.Tests;

/// <summary>Several processes writing one database, and processes that are killed or told to stop.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Four_processes_of_eight_tasks_each_store_every_acknowledged_row_exactly_once()
    {
        using var temp = new TempDatabase();
        const int processes = 4, tasks = 8, rows = 60;
        var workers = Enumerable.Range(0, processes)
            .Select(p => WorkerProcess.Start("write", temp.Path, "p" + p, tasks.ToString(), rows.ToString(), "normal", "duplicates"))
            .ToList();
        try
        {
            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitForExitAsync() == 0, worker.Describe());
            }

            var acked = workers.SelectMany(w => w.Acked()).ToList();
            var rejected = workers.SelectMany(w => w.Lines.Where(l => l.StartsWith("rejected ", StringComparison.Ordinal))).Count();
            Assert.DoesNotContain(workers.SelectMany(w => w.Lines), l => l.StartsWith("unexpected-ack", StringComparison.Ordinal));

            // Every 10th write of each task repeats an id and must be rejected alone, without its batch-mates.
            Assert.Equal(processes * tasks * (rows / 10), rejected);
            Assert.Equal(processes * tasks * rows * 9 / 10, acked.Count);

            var counts = temp.LogCounts();
            Assert.Equal(acked.Count, counts.Count);
            Assert.All(acked, id => Assert.Equal(1, counts.GetValueOrDefault(id)));
            Assert.Equal("ok", temp.Scalar<string>("PRAGMA integrity_check"));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("full")]
    public async Task SIGKILL_after_acknowledgements_loses_nothing_acknowledged(string synchronous)
    {
        using var temp = new TempDatabase();
        using var worker = WorkerProcess.Start("serve", temp.Path, "k", "16", synchronous);
        await worker.WaitForAcksAsync(300);
        worker.Kill();
        await worker.WaitForExitAsync();

        var acked = worker.Acked();
        var counts = temp.LogCounts(); // opening the file recovers the WAL, as the next process would
        Assert.All(acked, id => Assert.Equal(1, counts.GetValueOrDefault(id)));
        Assert.All(counts.Values, c => Assert.Equal(1, c));
        Assert.Equal("ok", temp.Scalar<string>("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task SIGTERM_drains_commits_checkpoints_and_exits_zero()
    {
        using var temp = new TempDatabase();
        using var worker = WorkerProcess.Start("serve", temp.Path, "t", "16", "normal");
        await worker.WaitForAcksAsync(300);
        worker.Terminate();
        Assert.True(await worker.WaitForExitAsync() == 0, worker.Describe());

        var wal = temp.Path + "-wal";
        Assert.False(File.Exists(wal) && new FileInfo(wal).Length > 0, "The WAL was not checkpointed on SIGTERM.");
        var acked = worker.Acked();
        var counts = temp.LogCounts();
        Assert.True(acked.Count >= 300);
        Assert.All(acked, id => Assert.Equal(1, counts.GetValueOrDefault(id)));
        Assert.Equal("ok", temp.Scalar<string>("PRAGMA integrity_check"));
    }
}

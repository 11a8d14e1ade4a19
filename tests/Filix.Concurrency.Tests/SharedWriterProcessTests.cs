namespace Filix.Concurrency.Tests;

/// <summary>The shared writer with real processes: one owns it, the others send it their writes; owners that exit
/// or are killed hand over to the survivors.</summary>
public sealed class SharedWriterProcessTests
{
    [Fact]
    public async Task Four_processes_sharing_one_writer_store_every_acknowledged_row_exactly_once()
    {
        using var temp = new TempDatabase();
        const int processes = 4, tasks = 8, rows = 60;
        var workers = Enumerable.Range(0, processes)
            .Select(p => WorkerProcess.Start("write", temp.Path, "p" + p, tasks.ToString(), rows.ToString(), "normal", "duplicates", "shared"))
            .ToList();
        try
        {
            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitForExitAsync() == 0, worker.Describe());
            }

            var lines = workers.SelectMany(w => w.Lines).ToList();
            Assert.Contains("role owner", lines);
            Assert.DoesNotContain(lines, l => l.StartsWith("unexpected-ack", StringComparison.Ordinal));
            Assert.Equal(processes * tasks * (rows / 10), lines.Count(l => l.StartsWith("rejected ", StringComparison.Ordinal)));

            var acked = workers.SelectMany(w => w.Acked()).ToList();
            Assert.Equal(processes * tasks * rows * 9 / 10, acked.Count);
            var counts = temp.LogCounts("shared_log");
            Assert.Equal(acked.Count, counts.Count);
            Assert.All(acked, id => Assert.Equal(1, counts.GetValueOrDefault(id)));
            Assert.Equal("ok", temp.Scalar<string>("PRAGMA integrity_check"));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public async Task An_owner_that_exits_hands_the_writer_to_a_client_without_an_error_or_an_unknown_write()
    {
        using var temp = new TempDatabase();
        using var owner = WorkerProcess.Start("serve", temp.Path, "a", "8", "normal", "shared");
        await owner.WaitForAcksAsync(100);
        using var client = WorkerProcess.Start("serve", temp.Path, "b", "8", "normal", "shared");
        await client.WaitForAcksAsync(200);
        Assert.Contains("role owner", owner.Lines);
        Assert.Contains("role client", client.Lines);

        owner.Terminate();
        Assert.True(await owner.WaitForExitAsync() == 0, owner.Describe());
        var atHandover = client.Acked().Count;
        await client.WaitForAcksAsync(atHandover + 500);
        client.Terminate();
        Assert.True(await client.WaitForExitAsync() == 0, client.Describe());

        Assert.DoesNotContain(client.Lines, l => l.StartsWith("unknown ", StringComparison.Ordinal));
        var acked = owner.Acked().Concat(client.Acked()).ToList();
        var counts = temp.LogCounts("shared_log");
        Assert.All(acked, id => Assert.Equal(1, counts.GetValueOrDefault(id)));
        Assert.Equal("ok", temp.Scalar<string>("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task When_the_owner_is_killed_the_clients_take_over_and_nothing_acknowledged_is_lost()
    {
        using var temp = new TempDatabase();
        using var owner = WorkerProcess.Start("serve", temp.Path, "a", "8", "normal", "shared");
        await owner.WaitForAcksAsync(100);
        using var first = WorkerProcess.Start("serve", temp.Path, "b", "8", "normal", "shared");
        using var second = WorkerProcess.Start("serve", temp.Path, "c", "8", "normal", "shared");
        await first.WaitForAcksAsync(200);
        await second.WaitForAcksAsync(200);

        owner.Kill();
        await owner.WaitForExitAsync();
        var firstAtKill = first.Acked().Count;
        var secondAtKill = second.Acked().Count;
        await first.WaitForAcksAsync(firstAtKill + 300);
        await second.WaitForAcksAsync(secondAtKill + 300);
        first.Terminate();
        second.Terminate();
        Assert.True(await first.WaitForExitAsync() == 0, first.Describe());
        Assert.True(await second.WaitForExitAsync() == 0, second.Describe());

        // Acknowledged: stored exactly once. In flight when the owner died: resolved through the next owner, so each
        // was acknowledged (and is stored once) or failed with an ordinary error (and is not stored); none is unknown.
        var counts = temp.LogCounts("shared_log");
        var acked = owner.Acked().Concat(first.Acked()).Concat(second.Acked()).ToList();
        Assert.All(acked, id => Assert.Equal(1, counts.GetValueOrDefault(id)));
        Assert.All(counts.Values, c => Assert.Equal(1, c));
        var lines = first.Lines.Concat(second.Lines).ToList();
        Assert.DoesNotContain(lines, l => l.StartsWith("unknown ", StringComparison.Ordinal));
        var failed = lines.Where(l => l.StartsWith("failed ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToList();
        Assert.All(failed, id => Assert.False(counts.ContainsKey(id), $"{id} failed but is stored"));
        Assert.Equal("ok", temp.Scalar<string>("PRAGMA integrity_check"));
    }
}

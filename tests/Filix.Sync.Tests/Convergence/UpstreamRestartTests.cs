using Filix.Sync.Tests.Machines;
using Xunit.Abstractions;

namespace Filix.Sync.Tests.Convergence;

/// <summary>
/// Issue 11, items 7 and 11: Postgres stops or restarts while machines sync. A sync that meets a stopped upstream
/// fails with an error naming the upstream (host:port/database, never its password) and changes nothing; once
/// Postgres is back the next sync succeeds; a sync frozen mid-push across a restart fails (clearly) or completes, and
/// the next run converges with the others, row for row. Convergence is checked first; the wording of the errors
/// after it, so one defect does not hide the other.
/// </summary>
[Collection(ConvergenceCollection.Name)]
public sealed class UpstreamRestartTests(ConvergenceFixture postgres, ITestOutputHelper log)
{
    private readonly List<string> _problems = [];

    [Fact]
    public async Task A_sync_against_a_stopped_upstream_fails_naming_it_without_its_password_and_the_next_sync_after_restart_succeeds()
    {
        var upstream = await postgres.CreateUpstreamAsync("stopped");
        await using var fleet = await Fleet.CreateAsync(201, 2, upstream, AllDomains.Synced, log);
        var tables = fleet.SyncedTables();
        await fleet.RandomRoundAsync(1, tables, 30);
        await fleet.RandomRoundAsync(2, tables, 30, syncs: false);
        var machine = fleet.Machines[0];
        var cluster = postgres.Cluster;
        cluster.Stop();
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => machine.SyncAsync(upstream, 5));
            fleet.Log($"sync with the upstream down: {failure.Message}");
            Clear("a sync while the upstream is down", failure.Message, failure.ToString());
        }
        finally
        {
            await cluster.StartAgainAsync();
        }

        // The same process, its connection pool holding connections the restart broke: the next sync must work.
        await SyncAfterRestartAsync(fleet, machine);
        await fleet.SyncUntilQuietAsync();
        await fleet.AssertConvergedAsync(tables);
        AssertNoProblems();
    }

    [Fact]
    public async Task Postgres_restarted_while_a_sync_is_frozen_mid_push_then_the_next_run_converges()
    {
        var upstream = await postgres.CreateUpstreamAsync("restarted");
        await using var fleet = await Fleet.CreateAsync(202, 2, upstream, AllDomains.Synced, log);
        var tables = fleet.SyncedTables();
        await fleet.RandomRoundAsync(1, tables, 30);
        await fleet.RandomRoundAsync(2, tables, 60, syncs: false);
        var machine = fleet.Machines[0];
        await machine.CloseAllAsync();
        using (var worker = SyncWorker.Start(machine, upstream, batchSize: 2))
        {
            // Frozen once papers' push has begun: entities is pushed and pulled, papers is under way.
            Assert.True(await worker.WaitForLineAsync("push papers"), worker.Describe());
            worker.Signal("STOP");
            try
            {
                await postgres.Cluster.RestartAsync();
            }
            finally
            {
                worker.Signal("CONT");
            }

            var exit = await worker.WaitForExitAsync();
            fleet.Log($"the frozen sync after the restart: {worker.Describe()}");
            if (exit != 0)
            {
                Clear("the sync frozen across the restart (child process)", worker.Error ?? string.Empty, worker.Describe());
            }
        }

        using (var rerun = SyncWorker.Start(machine, upstream, batchSize: 2))
        {
            Assert.True(await rerun.WaitForExitAsync() == 0, $"the sync after the restart failed: {rerun.Describe()}");
        }

        await machine.OpenAllAsync();

        // And in this process: the other machine's sync cut by a restart at a random point, then synced again.
        var other = fleet.Machines[1];
        var sync = Task.Run(() => other.SyncAsync(upstream, 1));
        await Task.Delay(new Random(202).Next(20, 200));
        await postgres.Cluster.RestartAsync();
        try
        {
            await sync;
            fleet.Log("the in-process sync finished before the restart reached it");
        }
        catch (Exception ex)
        {
            fleet.Log($"the in-process sync cut by the restart: {ex.Message}");
            Clear("the in-process sync cut by the restart", ex.Message, ex.ToString());
        }

        await SyncAfterRestartAsync(fleet, other);
        await fleet.SyncUntilQuietAsync();
        await fleet.AssertConvergedAsync(tables);
        AssertNoProblems();
    }

    /// <summary>The first sync once Postgres is back (same process, pooled connections broken by the restart) must
    /// succeed; if it does not, that is recorded and the sync is tried once more so convergence is still checked.</summary>
    private async Task SyncAfterRestartAsync(Fleet fleet, Machine machine)
    {
        try
        {
            await machine.SyncAsync(fleet.Upstream, 5);
        }
        catch (Exception ex)
        {
            _problems.Add($"the first sync of {machine.Id} after Postgres came back failed: {ex.Message}");
            fleet.Log(_problems[^1]);
            await fleet.SyncAsync(machine, 5, SyncStep.Both);
        }
    }

    /// <summary>The error names the upstream as the contract says (host:port) and never prints its password.</summary>
    private void Clear(string what, string message, string everything)
    {
        var cluster = postgres.Cluster;
        if (!message.Contains($"{cluster.Host}:{cluster.Port}", StringComparison.Ordinal))
        {
            _problems.Add($"{what}: the error does not name the upstream ({cluster.Host}:{cluster.Port}/database): \"{message}\"");
        }

        if (everything.Contains(ConvergenceFixture.Password, StringComparison.Ordinal))
        {
            _problems.Add($"{what}: the error prints the upstream's password");
        }
    }

    private void AssertNoProblems() => Assert.True(_problems.Count == 0, "converged, but:\n" + string.Join("\n", _problems));
}

using System.Globalization;
using Filix.Sync.Tests.Machines;
using Xunit.Abstractions;

namespace Filix.Sync.Tests.Convergence;

/// <summary>
/// Issue 11, items 7 and 11: a machine's sync runs as a child process and is SIGKILLed at random points, mid-push and
/// mid-pull (small batches, so a domain takes several transactions each way), three times per machine; the next run
/// completes, and after a final sync round every machine and upstream hold exactly what last-write-wins over all the
/// writes says: nothing duplicated, nothing lost, no half-applied batch.
/// </summary>
[Collection(ConvergenceCollection.Name)]
public sealed class KilledSyncTests(ConvergenceFixture postgres, ITestOutputHelper log)
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        if (Environment.GetEnvironmentVariable("FILIX_RANDOM_SEED") is { Length: > 0 } replay)
        {
            var bounds = replay.Split('-').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray();
            foreach (var seed in Enumerable.Range(bounds[0], bounds[^1] - bounds[0] + 1))
            {
                data.Add(seed);
            }

            return data;
        }

        data.Add(101);
        if (Environment.GetEnvironmentVariable("FILIX_SYNC_SOAK") == "1")
        {
            foreach (var seed in Enumerable.Range(102, 6))
            {
                data.Add(seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task A_sync_killed_mid_push_and_mid_pull_then_run_again_converges_without_duplicates_or_loss(int seed)
    {
        var upstream = await postgres.CreateUpstreamAsync($"killed_{seed}");
        await using var fleet = await Fleet.CreateAsync(seed, 2, upstream, AllDomains.Synced, log);
        var tables = fleet.SyncedTables();
        await fleet.RandomRoundAsync(1, tables, 30);
        await fleet.RandomRoundAsync(2, tables, 60, syncs: false); // plenty pending on both machines

        var random = new Random(seed);
        var killedIn = new List<string>();
        foreach (var machine in fleet.Machines)
        {
            for (var kill = 1; kill <= 3; kill++)
            {
                await machine.CloseAllAsync();
                using (var worker = SyncWorker.Start(machine, upstream, batchSize: 1 + random.Next(4)))
                {
                    var point = $"{(random.Next(2) == 0 ? "push" : "pull")} {AllDomains.Synced[random.Next(AllDomains.Synced.Count)].Name}";
                    var delay = random.Next(0, 60);
                    if (await worker.WaitForLineAsync(point))
                    {
                        await Task.Delay(delay);
                    }

                    try
                    {
                        worker.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                        // It had already finished: nothing to kill this time.
                    }

                    await worker.WaitForExitAsync();
                    var last = worker.Lines.LastOrDefault() ?? "(nothing)";
                    killedIn.Add(last);
                    fleet.Log($"{machine.Id}: SIGKILL {delay} ms after '{point}'; its last line was '{last}'");
                    Assert.True(worker.Error is null, $"seed {seed}: the sync worker failed before it was killed: {worker.Describe()}");
                }

                await machine.OpenAllAsync();
            }

            await machine.CloseAllAsync();
            using (var rerun = SyncWorker.Start(machine, upstream, batchSize: 3))
            {
                Assert.True(await rerun.WaitForExitAsync() == 0, $"seed {seed}: the sync after the kills failed: {rerun.Describe()}");
            }

            await machine.OpenAllAsync();
        }

        fleet.Log($"kills landed after: {string.Join(", ", killedIn)}");
        await fleet.RandomRoundAsync(3, tables, 20); // and the machines go on writing and syncing as before
        await fleet.SyncUntilQuietAsync();
        await fleet.AssertConvergedAsync(tables);
    }
}

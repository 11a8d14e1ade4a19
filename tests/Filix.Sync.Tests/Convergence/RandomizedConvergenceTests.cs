using System.Globalization;
using Filix.Sync.Tests.Machines;
using Xunit.Abstractions;

namespace Filix.Sync.Tests.Convergence;

/// <summary>
/// Issue 11, item 11: two and three machines (data folders) write at random to every <c>sync</c> table of the five
/// shared domains (and music's <c>optional</c> tables where enabled) through the generated repositories, raw SQL on
/// another connection and Python's <c>sqlite3</c> in a child process: inserts, upserts, updates, hard deletes, soft
/// deletes (events ended, objects deleted), re-inserts of deleted keys, and the same child key written on two
/// machines. Syncs (full, push only, pull only, small batches) interleave with the writes, machines run at the same
/// time and two machines sync at once each round. After a final sync round every machine, and upstream, holds
/// exactly what last-write-wins over all the writes says, row for row (<see cref="Oracle"/>).
/// </summary>
/// <remarks>
/// Seeded: the seed is printed; <c>FILIX_RANDOM_SEED=n</c> (or <c>a-b</c>) replays; <c>FILIX_SYNC_SERIAL=1</c> runs
/// machines one after another for an exact replay; <c>FILIX_SYNC_SOAK=1</c> runs longer (more rounds and writes).
/// </remarks>
[Collection(ConvergenceCollection.Name)]
public sealed class RandomizedConvergenceTests(ConvergenceFixture postgres, ITestOutputHelper log)
{
    private static bool Soak => Environment.GetEnvironmentVariable("FILIX_SYNC_SOAK") == "1";

    public static TheoryData<int, int> Runs()
    {
        var data = new TheoryData<int, int>();
        if (Environment.GetEnvironmentVariable("FILIX_RANDOM_SEED") is { Length: > 0 } replay)
        {
            var bounds = replay.Split('-').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray();
            foreach (var seed in Enumerable.Range(bounds[0], bounds[^1] - bounds[0] + 1))
            {
                data.Add(seed, 2);
                data.Add(seed, 3);
            }

            return data;
        }

        // The default run stays short (about a minute here); the soak adds seeds, rounds and writes.
        data.Add(1, 2);
        data.Add(3, 3);
        if (Soak)
        {
            foreach (var seed in Enumerable.Range(10, 8))
            {
                data.Add(seed, 2 + (seed % 2));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Random_writes_on_every_path_with_interleaved_and_concurrent_syncs_converge_row_for_row(int seed, int machines)
    {
        var upstream = await postgres.CreateUpstreamAsync($"random_{seed}_{machines}");
        await using var fleet = await Fleet.CreateAsync(seed, machines, upstream, [.. AllDomains.Synced, AllDomains.Music], log);
        if (machines == 3)
        {
            foreach (var machine in fleet.Machines)
            {
                machine.Enabled.Add("music"); // three machines also share the optional domain, enabled everywhere
            }
        }

        var tables = fleet.SyncedTables();
        var rounds = Soak ? 12 : 3;
        for (var round = 1; round <= rounds; round++)
        {
            await fleet.RandomRoundAsync(round, tables, Soak ? 120 : 30);
        }

        var passes = await fleet.SyncUntilQuietAsync();
        fleet.Log($"final sync settled after {passes} passes");
        await fleet.AssertConvergedAsync(tables);
    }
}

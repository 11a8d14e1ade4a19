using Xunit.Abstractions;
using System.Diagnostics;
using Filix.Testing;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// Children write one database through Filix at full speed and are SIGKILLed at random moments (in open, in a batch,
/// as the shared writer's owner or as its client, while another takes over), several at once, the survivors writing
/// on. After every kill the file passes <c>integrity_check</c> and holds every write the dead acknowledged, once; after
/// each generation (a fresh file) the last children die too and a Filix open recovers the file and the checks hold.
/// </summary>
public abstract class RandomKillTests(ITestOutputHelper output)
{
    /// <summary>Children alive at once: enough that kills overlap with starts and with takeovers, few enough for 2 cores.</summary>
    private const int Alive = 5;

    /// <summary>Kills per file: the file stays small, so each check after a kill is quick.</summary>
    private const int KillsPerGeneration = 8;

    /// <summary>Runs <paramref name="kills"/> SIGKILLs with children in <paramref name="mode"/>: <c>shared</c> (every
    /// child writes through the machine's shared writer), <c>direct</c> (each its own writer, the flock handoff) or
    /// <c>mixed</c>. The three modes are three test classes, so xunit runs them side by side.</summary>
    protected async Task RunAsync(string mode, int kills)
    {
        kills = TortureSeed.Kills(kills);
        var seed = TortureSeed.Next(output, $"random kills, {mode}");
        var random = new Random(seed);
        var watch = Stopwatch.StartNew();
        var killed = 0;
        var beforeReady = 0;
        for (var generation = 0; killed < kills; generation++)
        {
            using var folder = TempDirectory.Create("torture");
            var path = folder.File("torture.db");
            var full = random.Next(4) == 0; // mostly NORMAL (the default); FULL a quarter of the files
            var children = new List<TortureChild>();
            var live = new List<TortureChild>();
            try
            {
                var started = 0;
                TortureChild Spawn()
                {
                    var shared = mode switch { "shared" => true, "direct" => false, _ => random.Next(2) == 0 };
                    var child = TortureChild.Writer(path, folder.Path, $"g{generation}c{started++}", shared, full, tasks: random.Next(1, 3), seed: random.Next());
                    children.Add(child);
                    return child;
                }

                while (live.Count < Alive)
                {
                    live.Add(Spawn());
                }

                var generationKills = Math.Min(KillsPerGeneration, kills - killed);
                while (generationKills > 0)
                {
                    // One to three children die in this step, at moments spread over a few milliseconds: ones that have
                    // acknowledged writes already (so they die mid-write), and now and then one that has not even opened
                    // the file yet. Survivors write on.
                    var early = random.Next(8) == 0;
                    if (!early)
                    {
                        await WhenAnyWritingAsync(live);
                    }

                    var candidates = early ? live : live.Where(c => c.Writing).ToList();
                    var victims = candidates.OrderBy(_ => random.Next()).Take(Math.Min(generationKills, random.Next(1, 4))).ToList();
                    await Task.Delay(random.Next(0, 120));
                    foreach (var victim in victims)
                    {
                        if (!victim.Lines.Contains("ready"))
                        {
                            beforeReady++;
                        }

                        await victim.KillAsync();
                        live.Remove(victim);
                        killed++;
                        generationKills--;
                        await Task.Delay(random.Next(0, 10));
                    }

                    // Replacements start before the check, so they open the file while it runs.
                    while (live.Count < Math.Min(Alive, generationKills))
                    {
                        live.Add(Spawn());
                    }

                    Survivors.Check(path, victims, $"seed {seed}, generation {generation}, kill {killed}");
                }

                // The rest of the generation's children die together; nobody is left to recover the WAL but Filix.
                foreach (var child in live)
                {
                    await child.KillAsync();
                }

                live.Clear();
                await Survivors.CheckAfterAllDeadAsync(path, children, $"seed {seed}, generation {generation}, end");
                output.WriteLine($"generation {generation}: {children.Count} children ({(full ? "FULL" : "NORMAL")}), {children.Sum(c => c.Acked().Count)} acknowledged writes, all present; {new FileInfo(path).Length / 1024} KiB; at {watch.Elapsed.TotalSeconds:0.0} s");
            }
            finally
            {
                children.ForEach(c => c.Dispose());
            }
        }

        output.WriteLine($"{killed} SIGKILLs ({beforeReady} before the child had opened the file) in {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(killed >= kills);
    }

    private static async Task WhenAnyWritingAsync(List<TortureChild> live)
    {
        while (!live.Any(c => c.Writing))
        {
            foreach (var child in live)
            {
                Assert.True(child.Error is null && !child.HasExited, "A child ended before anyone killed it: " + child.Describe());
            }

            await Task.Delay(5);
        }
    }
}

/// <summary>Every child writes through the machine's shared writer: owners die and clients take over.</summary>
public sealed class SharedWriterKillTests(ITestOutputHelper output) : RandomKillTests(output)
{
    [Fact]
    public Task Children_killed_at_random_moments_lose_no_acknowledged_write() => RunAsync("shared", 112);
}

/// <summary>Every child writes through its own writer, handing the write lock over with flock.</summary>
public sealed class DirectWriterKillTests(ITestOutputHelper output) : RandomKillTests(output)
{
    [Fact]
    public Task Children_killed_at_random_moments_lose_no_acknowledged_write() => RunAsync("direct", 96);
}

/// <summary>Each child picks shared or direct at random: both kinds of writer on one file at once.</summary>
public sealed class MixedWriterKillTests(ITestOutputHelper output) : RandomKillTests(output)
{
    [Fact]
    public Task Children_killed_at_random_moments_lose_no_acknowledged_write() => RunAsync("mixed", 112);
}

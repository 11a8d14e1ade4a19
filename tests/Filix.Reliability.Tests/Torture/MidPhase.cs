using System.Globalization;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// Kills children inside one phase of their work (a checkpoint, a migration): the child prints <c>start</c> when it
/// enters the phase and <c>end &lt;ms&gt;</c> when it leaves it. A first child runs the phase to its end, which says
/// how long it takes on this machine now; each later one is killed after a random part of that. A kill that lands
/// after the phase ended does not count, and the next delay is drawn from half the range, so the runs adapt to the
/// machine's speed instead of assuming one.
/// </summary>
internal static class MidPhase
{
    public static async Task<int> CalibrateAsync(TortureChild child, string end)
    {
        using (child)
        {
            var line = await child.WaitForAsync(end + " ");
            Assert.True(await child.WaitForExitAsync() == 0, child.Describe());
            return Math.Max(1, int.Parse(line[(end.Length + 1)..], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Runs until <paramref name="wanted"/> children died inside the phase (at most three times as many tries);
    /// <paramref name="check"/> runs after every kill, inside the phase or not. Returns the kills inside the phase.</summary>
    public static async Task<int> KillInsideAsync(Random random, int phaseMs, int wanted, string start, string end, Func<int, TortureChild> spawn, Func<TortureChild, bool, Task> check)
    {
        var inside = 0;
        var range = phaseMs;
        for (var attempt = 0; inside < wanted && attempt < wanted * 3; attempt++)
        {
            using var child = spawn(attempt);
            await child.WaitForAsync(start);
            await Task.Delay(random.Next(0, Math.Max(1, range)));
            await child.KillAsync();
            var landed = !child.Lines.Any(l => l.StartsWith(end, StringComparison.Ordinal));
            if (landed)
            {
                inside++;
            }
            else
            {
                range /= 2;
            }

            await check(child, landed);
        }

        return inside;
    }
}

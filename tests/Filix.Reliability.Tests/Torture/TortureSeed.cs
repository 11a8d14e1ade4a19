using Xunit.Abstractions;
namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// The seed of a torture run: random each run, printed, and replayable with <c>FILIX_RANDOM_SEED=n</c>. A replay makes
/// the same decisions (which children, which mode, which delays, what to corrupt); the moments the kernel schedules the
/// children still differ, so a crash that depends on them may need a few replays.
/// </summary>
internal static class TortureSeed
{
    public static int Next(ITestOutputHelper output, string test)
    {
        var seed = Environment.GetEnvironmentVariable("FILIX_RANDOM_SEED") is { Length: > 0 } replay
            ? int.Parse(replay.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture)
            : Random.Shared.Next(1, int.MaxValue);
        output.WriteLine($"{test}: seed {seed} (replay: FILIX_RANDOM_SEED={seed})");
        return seed;
    }

    /// <summary>How many kills a run makes: <c>FILIX_TORTURE_KILLS</c> raises it for a long run on a quiet machine.</summary>
    public static int Kills(int normal) =>
        Environment.GetEnvironmentVariable("FILIX_TORTURE_KILLS") is { Length: > 0 } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : normal;
}

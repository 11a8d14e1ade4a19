namespace Filix.Concurrency.Tests.Sharing;

/// <summary>The seed of a randomized test: <c>FILIX_FUZZ_SEED</c> when set (to replay a failure), else a fixed one,
/// so every run is the same run. Failures name it.</summary>
internal static class FuzzSeed
{
    public static int Get(int fallback)
    {
        var text = Environment.GetEnvironmentVariable("FILIX_FUZZ_SEED");
        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var seed) ? seed : fallback;
    }
}

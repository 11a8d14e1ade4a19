using System.Globalization;
using Filix.Runtime;

namespace Filix.Cli.Bench;

/// <summary>The command line a worker process gets: the parent's settings plus its index and its share of writers.</summary>
internal static class BenchArguments
{
    public static IEnumerable<string> ForWorker(BenchSettings settings, int index)
    {
        var inv = CultureInfo.InvariantCulture;
        yield return "bench";
        yield return "writers-worker";
        yield return "--mode";
        yield return settings.Mode.ToString().ToLowerInvariant();
        yield return "--workload";
        yield return settings.Workload.ToString().ToLowerInvariant();
        yield return "--writers";
        yield return settings.WritersOf(index).ToString(inv);
        yield return "--seconds";
        yield return settings.Seconds.ToString(inv);
        yield return "--synchronous";
        yield return settings.Synchronous == SynchronousMode.Full ? "full" : "normal";
        yield return "--lock-handoff";
        yield return settings.LockHandoff ? "flock" : "busy-timeout";
        yield return "--share-writer";
        yield return settings.ShareWriter ? "on" : "off";
        yield return "--capture";
        yield return settings.Capture ? "on" : "off";
        yield return "--ceiling-batch";
        yield return settings.CeilingBatch.ToString(inv);
        yield return "--folder";
        yield return settings.Folder;
        yield return "--process-index";
        yield return index.ToString(inv);
        if (settings.Upstream is not null)
        {
            yield return "--upstream";
            yield return settings.Upstream;
        }
    }
}

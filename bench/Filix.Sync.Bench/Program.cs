using System.Globalization;
using Filix.Sync.Bench;

// Sync benchmark driver (docs/benchmarks.md, "Sync"). Every scenario starts its own durable Postgres on loopback.
//   initial [--scale 1] [--batch 10000] [--rounds 1] [--peers-only]   initial sync each way, with the COPY / SELECT peers
//   steady  [--scale 1] [--changes 10000] [--rounds 3]    10,000 changed rows on A reach B (push A + pull B)
//   watch   [--writes 1000] [--spacing-ms 15]             filix sync --watch on A and B: commit on A -> readable on B
//   ladder  [--scale 1] [--batch 10000]                   where a pull's local time goes (PullLadder)
// Common: [--work DIR] (default: a new folder under $FILIX_BENCH_WORK or artifacts/sync-bench) [--out FILE.json] [--keep]
//   child push|pull|sync --data DIR --upstream CONNSTR --machine ID --batch N --result FILE   (internal: one measured sync process)
// FILIX_BENCH_TRACE=DIR: each sync child runs under dotnet-trace (dotnet-sampled-thread-time); see SyncChild.SpawnAsync.
var arguments = new Args(args);
if (arguments.Command == "child")
{
    return await SyncChild.RunAsync(arguments.Positional(1), arguments.Get("data"), arguments.Get("upstream"), arguments.Get("machine"), arguments.Int("batch", 10_000), arguments.Get("result"));
}

var report = new Report();
// Not under /tmp: other test runs on this machine clean their filix-* temp folders by name.
var work = arguments.Get("work", Path.Combine(Environment.GetEnvironmentVariable("FILIX_BENCH_WORK") ?? Path.Combine(Domains.RepositoryRoot(), "artifacts", "sync-bench"), $"run-{DateTime.UtcNow:HHmmss}-{Environment.ProcessId}"));
Directory.CreateDirectory(work);
report.Line($"# filix sync bench {arguments.Command} — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {Report.F(ProcStats.LoadAverage())}, work folder {work}");
report.Line($"Postgres: throwaway cluster on 127.0.0.1, {BenchCluster.Settings}");
await using (var cluster = await BenchCluster.StartAsync(work))
{
    report.Figure("command", string.Join(' ', args));
    report.Figure("startLoad", ProcStats.LoadAverage());
    switch (arguments.Command)
    {
        case "initial":
            await InitialSync.RunAsync(cluster, work, arguments.Double("scale", 1), arguments.Int("batch", 10_000), arguments.Int("rounds", 1), arguments.Has("peers-only"), report);
            break;
        case "steady":
            await SteadyState.RunAsync(cluster, work, arguments.Double("scale", 1), arguments.Int("changes", 10_000), arguments.Int("batch", 10_000), arguments.Int("rounds", 3), report);
            break;
        case "ladder":
            await PullLadder.RunAsync(cluster, work, arguments.Double("scale", 1), arguments.Int("batch", 10_000), report);
            break;
        case "watch":
            await WatchLatency.RunAsync(cluster, work, arguments.Int("writes", 1000), arguments.Int("spacing-ms", 15), arguments.Double("scale", 0.02), report);
            break;
        default:
            Console.Error.WriteLine($"unknown command '{arguments.Command}': initial, steady, watch or ladder (see Program.cs).");
            return 2;
    }

    report.Figure("endLoad", ProcStats.LoadAverage());
}

report.Save(arguments.GetOrNull("out"));
if (!arguments.Has("keep"))
{
    Directory.Delete(work, recursive: true);
}

return 0;

/// <summary>--name value pairs after a command word.</summary>
internal sealed class Args(string[] args)
{
    public string Command => args.Length > 0 ? args[0] : "initial";

    public string Positional(int index) => index < args.Length ? args[index] : throw new ArgumentException($"missing argument {index}.");

    public bool Has(string name) => Array.IndexOf(args, "--" + name) >= 0;

    public string? GetOrNull(string name)
    {
        var at = Array.IndexOf(args, "--" + name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    public string Get(string name, string? fallback = null) =>
        GetOrNull(name) ?? fallback ?? throw new ArgumentException($"--{name} is required.");

    public int Int(string name, int fallback) => GetOrNull(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => GetOrNull(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}

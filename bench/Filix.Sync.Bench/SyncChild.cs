using System.Diagnostics;
using System.Text.Json;
using Filix.Runtime;
using Filix.Runtime.Sync;

namespace Filix.Sync.Bench;

/// <summary>One domain's push or pull, as the child process measured it.</summary>
internal sealed record DomainRun(string Domain, long Rows, long Parked, double Seconds, double CpuSeconds, long PeakWorkingSetAfter, IReadOnlyList<TableSyncReport> Tables);

/// <summary>What a child process reports: each domain, and the whole process's peak working set (VmHWM).</summary>
internal sealed record ChildRun(string Direction, IReadOnlyList<DomainRun> Domains, long PeakWorkingSet, long GcHeapAfter)
{
    public long Rows => Domains.Sum(d => d.Rows);

    public double Seconds => Domains.Sum(d => d.Seconds);
}

/// <summary>
/// Runs <see cref="FilixSync.PushAsync"/> or <see cref="FilixSync.PullAsync"/> over the five sync domains of one data
/// folder in a process of its own, so the peak working set it reports is the sync's alone (the parent seeds data and
/// runs the peers). Only the sync call is timed: opening a database (and creating an empty one) is not.
/// </summary>
internal static class SyncChild
{
    public static async Task<int> RunAsync(string direction, string dataFolder, string upstream, string machine, int batchSize, string result)
    {
        var options = new SyncOptions { Upstream = upstream, MachineId = machine, BatchSize = batchSize };
        var runs = new List<DomainRun>();
        foreach (var schema in Domains.Synced)
        {
            await using var database = await FilixDatabase.OpenAsync(Domains.PathIn(dataFolder, schema), schema);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var report = direction switch
            {
                "push" => await FilixSync.PushAsync(database, options),
                "pull" => await FilixSync.PullAsync(database, options),
                "sync" => await FilixSync.SyncAsync(database, options),
                _ => throw new ArgumentException($"unknown direction '{direction}' (push, pull or sync)."),
            };
            watch.Stop();
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var rows = report.Tables.Sum(t => direction == "pull" ? t.Pulled : direction == "push" ? t.Pushed : t.Pushed + t.Pulled);
            runs.Add(new DomainRun(schema.Domain, rows, report.Tables.Sum(t => t.Parked), watch.Elapsed.TotalSeconds, used, ProcStats.PeakWorkingSet(), report.Tables));
        }

        var run = new ChildRun(direction, runs, ProcStats.PeakWorkingSet(), GC.GetTotalMemory(forceFullCollection: false));
        await File.WriteAllTextAsync(result, JsonSerializer.Serialize(run, Json.Options));
        return 0;
    }

    /// <summary>Starts this benchmark as a child process (<c>child push|pull|sync</c>) and returns what it reports.
    /// With <c>FILIX_BENCH_TRACE=DIR</c> the child runs under <c>dotnet-trace collect --profile dotnet-sampled-thread-time</c>
    /// (a .nettrace per child in DIR, for <c>dotnet-trace report FILE topN</c>): where the client's time goes.</summary>
    public static async Task<ChildRun> SpawnAsync(string direction, string dataFolder, string upstream, string machine, int batchSize)
    {
        var result = Path.Combine(dataFolder, $"..{Path.DirectorySeparatorChar}{direction}-{Path.GetFileName(dataFolder)}-{Environment.TickCount64}.json");
        string[] arguments = ["child", direction, "--data", dataFolder, "--upstream", upstream, "--machine", machine, "--batch", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "--result", result];
        if (Environment.GetEnvironmentVariable("FILIX_BENCH_TRACE") is { Length: > 0 } traces)
        {
            Directory.CreateDirectory(traces);
            var output = Path.Combine(traces, $"{direction}-{Path.GetFileName(dataFolder)}-{DateTime.UtcNow:HHmmss}.nettrace");
            await Self.RunViaAsync(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace"),
                ["collect", "--profile", "dotnet-sampled-thread-time", "--output", output, "--"], arguments);
        }
        else
        {
            await Self.RunAsync(arguments);
        }

        var text = await File.ReadAllTextAsync(result);
        File.Delete(result);
        return JsonSerializer.Deserialize<ChildRun>(text, Json.Options)
            ?? throw new InvalidOperationException($"the {direction} child reported nothing in {result}.");
    }
}

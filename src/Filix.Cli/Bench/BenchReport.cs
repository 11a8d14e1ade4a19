using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Filix.Cli.Bench;

/// <summary>The merged outcome of a run: throughput, latency percentiles over every write of every process, errors.</summary>
internal sealed record BenchReport
{
    public required BenchSettings Settings { get; init; }

    public required long Acknowledged { get; init; }

    public required long Errors { get; init; }

    public required long Stored { get; init; }

    public required double RowsPerSecond { get; init; }

    public required double P50Ms { get; init; }

    public required double P99Ms { get; init; }

    public required double MaxMs { get; init; }

    /// <summary>Writes acknowledged by each process: equal shares mean no process starved.</summary>
    public required long[] PerProcess { get; init; }

    public string? FirstError { get; init; }

    /// <summary>Mean writes per commit of the Filix writer (0 in other modes).</summary>
    public double MeanBatch { get; init; }

    public long LockWaits { get; init; }

    /// <summary>Mean time of one transaction of the Filix writer, BEGIN to end of COMMIT.</summary>
    public double MeanCommitMs { get; init; }

    /// <summary>Mean wait for another process's write lock, per wait.</summary>
    public double MeanLockWaitMs { get; init; }

    public static BenchReport From(BenchSettings settings, WorkerResult[] results, long stored)
    {
        var latencies = results.SelectMany(r => r.LatenciesMs).ToArray();
        Array.Sort(latencies);
        var acknowledged = results.Sum(r => r.Acknowledged);
        var elapsed = results.Max(r => r.ElapsedSeconds);
        return new BenchReport
        {
            Settings = settings,
            Acknowledged = acknowledged,
            Errors = results.Sum(r => r.Errors),
            Stored = stored,
            RowsPerSecond = elapsed > 0 ? acknowledged / elapsed : 0,
            P50Ms = Percentile(latencies, 0.50),
            P99Ms = Percentile(latencies, 0.99),
            MaxMs = latencies.Length == 0 ? 0 : latencies[^1],
            PerProcess = results.Select(r => r.Acknowledged).ToArray(),
            FirstError = results.Select(r => r.FirstError).FirstOrDefault(e => e is not null),
            MeanBatch = results.Sum(r => r.Batches) is > 0 and var batches ? (double)results.Sum(r => r.Batched) / batches : 0,
            LockWaits = results.Sum(r => r.LockWaits),
            MeanCommitMs = results.Sum(r => r.Batches) is > 0 and var commits ? results.Sum(r => r.CommitMs) / commits : 0,
            MeanLockWaitMs = results.Sum(r => r.LockWaits) is > 0 and var waits ? results.Sum(r => r.LockWaitMs) / waits : 0,
        };
    }

    private static double Percentile(float[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(q * sorted.Length) - 1)];

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("mode", Name(Settings.Mode));
            json.WriteString("workload", Name(Settings.Workload));
            json.WriteNumber("writers", Settings.Writers);
            json.WriteNumber("processes", Settings.Processes);
            json.WriteNumber("seconds", Settings.Seconds);
            json.WriteString("synchronous", Name(Settings.Synchronous));
            json.WriteString("lock_handoff", Settings.LockHandoff ? "flock" : "busy-timeout");
            json.WriteString("share_writer", Settings.ShareWriter ? "on" : "off");
            json.WriteString("capture", Settings.Mode == BenchMode.Postgres ? "n/a" : Settings.Capture ? "on" : "off");
            json.WriteNumber("rows_per_sec", Math.Round(RowsPerSecond, 1));
            json.WriteNumber("p50_ms", Math.Round(P50Ms, 3));
            json.WriteNumber("p99_ms", Math.Round(P99Ms, 3));
            json.WriteNumber("max_ms", Math.Round(MaxMs, 3));
            json.WriteNumber("errors", Errors);
            json.WriteNumber("acknowledged", Acknowledged);
            json.WriteNumber("stored", Stored);
            json.WriteStartArray("acknowledged_per_process");
            foreach (var count in PerProcess)
            {
                json.WriteNumberValue(count);
            }

            json.WriteEndArray();
            json.WriteNumber("mean_batch", Math.Round(MeanBatch, 1));
            json.WriteNumber("mean_commit_ms", Math.Round(MeanCommitMs, 3));
            json.WriteNumber("lock_waits", LockWaits);
            json.WriteNumber("mean_lock_wait_ms", Math.Round(MeanLockWaitMs, 3));
            json.WriteString("first_error", FirstError);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"bench writers: mode {Name(Settings.Mode)}, workload {Name(Settings.Workload)}, {Settings.Writers} writers in {Settings.Processes} process(es), synchronous {Name(Settings.Synchronous)}, {Settings.Seconds} s{(Settings.Mode == BenchMode.Postgres ? string.Empty : Settings.Capture ? ", capture on" : ", capture off")}");
        text.AppendLine(inv, $"  rows/s        {RowsPerSecond,12:N0}");
        text.AppendLine(inv, $"  latency p50   {P50Ms,12:F3} ms");
        text.AppendLine(inv, $"  latency p99   {P99Ms,12:F3} ms");
        text.AppendLine(inv, $"  latency max   {MaxMs,12:F3} ms");
        text.AppendLine(inv, $"  acknowledged  {Acknowledged,12:N0}   (per process: {string.Join(", ", PerProcess)})");
        text.AppendLine(inv, $"  stored rows   {Stored,12:N0}");
        if (Settings.Mode == BenchMode.Filix)
        {
            text.AppendLine(inv, $"  mean batch    {MeanBatch,12:F1} writes per commit, {MeanCommitMs:F3} ms per transaction");
            text.AppendLine(inv, $"  lock waits    {LockWaits,12:N0}   (mean {MeanLockWaitMs:F3} ms)");
        }

        text.Append(inv, $"  errors        {Errors,12:N0}");
        if (FirstError is not null)
        {
            text.AppendLine().Append(inv, $"  first error   {FirstError}");
        }

        return text.ToString();
    }

    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}

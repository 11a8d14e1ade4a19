using System.Text.Json;

namespace Filix.Cli.Bench;

/// <summary>What one process's writers did: acknowledged writes, errors, time taken and every write's latency.</summary>
internal sealed record WorkerResult(long Acknowledged, long Errors, double ElapsedSeconds, float[] LatenciesMs, string? FirstError)
{
    /// <summary>Commits made by the Filix writer (mode filix), and the writes they carried.</summary>
    public long Batches { get; init; }

    public long Batched { get; init; }

    /// <summary>Times the Filix writer waited for another process's write lock, and for how long in total.</summary>
    public long LockWaits { get; init; }

    public double LockWaitMs { get; init; }

    /// <summary>Time the writer spent inside transactions, in total.</summary>
    public double CommitMs { get; init; }

    /// <summary>The summary line a worker process prints (its latencies go to a file).</summary>
    public string ToJsonLine()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("acknowledged", Acknowledged);
            json.WriteNumber("errors", Errors);
            json.WriteNumber("elapsed_s", ElapsedSeconds);
            json.WriteString("first_error", FirstError);
            json.WriteNumber("batches", Batches);
            json.WriteNumber("batched", Batched);
            json.WriteNumber("lock_waits", LockWaits);
            json.WriteNumber("lock_wait_ms", LockWaitMs);
            json.WriteNumber("commit_ms", CommitMs);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static WorkerResult FromJsonLine(string line, float[] latencies)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        return new WorkerResult(
            root.GetProperty("acknowledged").GetInt64(),
            root.GetProperty("errors").GetInt64(),
            root.GetProperty("elapsed_s").GetDouble(),
            latencies,
            root.GetProperty("first_error").GetString())
        {
            Batches = root.GetProperty("batches").GetInt64(),
            Batched = root.GetProperty("batched").GetInt64(),
            LockWaits = root.GetProperty("lock_waits").GetInt64(),
            LockWaitMs = root.GetProperty("lock_wait_ms").GetDouble(),
            CommitMs = root.GetProperty("commit_ms").GetDouble(),
        };
    }

    public void WriteLatencies(string path)
    {
        using var file = File.Create(path);
        file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(LatenciesMs.AsSpan()));
    }

    public static float[] ReadLatencies(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}

using System.Diagnostics;
using Filix.Runtime;

namespace Filix.Reliability.Bench;

/// <summary>What the writers did over one window: writes, and each write's latency (ms).</summary>
internal sealed record WriterStats(int Writes, double Seconds, double P50, double P99, double Max, int Over100)
{
    public double PerSecond => Writes / Seconds;
}

/// <summary>Ten writers, each updating one random row per write through Filix's writer (group commit), as fast as
/// they can. Updates, not inserts, so the database keeps its size across the phases (inserts at full speed grew it
/// by ~8 MB/s). Every latency is recorded with the time it ended, so a window (while a backup ran) can be cut out.</summary>
internal sealed class Writers(FilixDatabase database, int count, long rows)
{
    private readonly List<(long End, double Ms)>[] _latencies = Enumerable.Range(0, count).Select(_ => new List<(long, double)>()).ToArray();
    private CancellationTokenSource? _stop;
    private Task[] _tasks = [];
    private static long _ids;

    public void Start()
    {
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _tasks = Enumerable.Range(0, count).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            while (!token.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                await database.ExecuteAsync("UPDATE entities SET name = $p1 WHERE id = $p0", 2,
                    ["bulk-" + random.NextInt64(rows), "writer " + w + " write " + Interlocked.Increment(ref _ids)]);
                var end = Stopwatch.GetTimestamp();
                lock (_latencies[w])
                {
                    _latencies[w].Add((end, Stopwatch.GetElapsedTime(start, end).TotalMilliseconds));
                }
            }
        })).ToArray();
    }

    public async Task StopAsync()
    {
        _stop!.Cancel();
        await Task.WhenAll(_tasks);
    }

    /// <summary>The writes that ended between two <see cref="Stopwatch.GetTimestamp"/> values.</summary>
    public WriterStats Window(long from, long to)
    {
        var ms = _latencies.SelectMany(l =>
        {
            lock (l)
            {
                return l.Where(x => x.End >= from && x.End <= to).Select(x => x.Ms).ToList();
            }
        }).Order().ToArray();
        double Pct(double p) => ms.Length == 0 ? 0 : ms[Math.Min(ms.Length - 1, (int)(p * ms.Length))];
        return new WriterStats(ms.Length, Stopwatch.GetElapsedTime(from, to).TotalSeconds, Pct(0.5), Pct(0.99), ms.Length == 0 ? 0 : ms[^1], ms.Count(x => x > 100));
    }
}

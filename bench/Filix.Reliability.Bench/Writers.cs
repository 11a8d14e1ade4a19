using System.Diagnostics;
using Filix.Runtime;

namespace Filix.Reliability.Bench;

/// <summary>What the writers did over one window: writes, and each write's latency (ms).</summary>
internal sealed record WriterStats(int Writes, double Seconds, double P50, double P99, double Max, int Over100)
{
    public double PerSecond => Writes / Seconds;
}

/// <summary>Ten writers, each inserting one row per write through Filix's writer (group commit), as fast as they
/// can; every latency is recorded with the time it ended, so a window (while a backup ran) can be cut out.</summary>
internal sealed class Writers(FilixDatabase database, int count)
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
            var text = new string('w', 800);
            while (!token.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                await database.ExecuteAsync("INSERT INTO entities (id, type, name, summary) VALUES ($p0, 'bench', $p1, $p2)", 3,
                    ["writer-" + Interlocked.Increment(ref _ids), "writer " + w, text]);
                var end = Stopwatch.GetTimestamp();
                _latencies[w].Add((end, Stopwatch.GetElapsedTime(start, end).TotalMilliseconds));
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
        var ms = _latencies.SelectMany(l => l.Where(x => x.End >= from && x.End <= to).Select(x => x.Ms)).Order().ToArray();
        double Pct(double p) => ms.Length == 0 ? 0 : ms[Math.Min(ms.Length - 1, (int)(p * ms.Length))];
        return new WriterStats(ms.Length, Stopwatch.GetElapsedTime(from, to).TotalSeconds, Pct(0.5), Pct(0.99), ms.Length == 0 ? 0 : ms[^1], ms.Count(x => x > 100));
    }
}

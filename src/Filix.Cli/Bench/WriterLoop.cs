using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Bench;

/// <summary>Runs one process's share of the writers for the set time and records each write's latency.</summary>
internal static class WriterLoop
{
    public static async Task<WorkerResult> RunAsync(BenchSettings settings, BenchTarget target, int writers, CancellationToken stop)
    {
        using var counters = new WriterCounters();
        var latencies = new List<float>[writers];
        var errors = 0L;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(settings.Seconds);

        async Task RunWriterAsync(int writer)
        {
            var mine = latencies[writer] = new List<float>(4096);
            for (long n = 0; clock.Elapsed < duration && !stop.IsCancellationRequested; n++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await target.WriteAsync(writer, n, stop).ConfigureAwait(false);
                    mine.Add((float)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    // A failed write ("database is locked", a timeout) is counted, not retried: that is what the user sees.
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        var runs = Enumerable.Range(0, writers).Select(writer => target.Blocking
            ? Task.Factory.StartNew(() => RunWriterAsync(writer).GetAwaiter().GetResult(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.Run(() => RunWriterAsync(writer))).ToArray();
        await Task.WhenAll(runs).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l ?? []).ToArray();
        return new WorkerResult(all.Length, errors, elapsed, all, firstError)
        {
            Batches = counters.Batches,
            Batched = counters.Batched,
            LockWaits = counters.LockWaits,
            LockWaitMs = counters.LockWaitMs,
            CommitMs = counters.CommitMs,
        };
    }

    /// <summary>
    /// Mode <c>ceiling</c>: one thread, one connection, the same rows (every writer's, interleaved) in transactions of
    /// <paramref name="batch"/> rows. A row's latency is from its creation to the commit of its transaction.
    /// </summary>
    public static WorkerResult RunCeiling(BenchSettings settings, int batch, CancellationToken stop)
    {
        var rows = new BenchRows(0);
        using var connection = SqliteRows.Open(settings);
        using var command = SqliteRows.Prepare(connection, settings.Workload);
        using var begin = new SqliteCommand("BEGIN IMMEDIATE", connection);
        using var commit = new SqliteCommand("COMMIT", connection);
        var latencies = new List<float>(1 << 20);
        var starts = new long[batch];
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(settings.Seconds);
        long n = 0;
        while (clock.Elapsed < duration && !stop.IsCancellationRequested)
        {
            begin.ExecuteNonQuery();
            for (var i = 0; i < batch; i++, n++)
            {
                starts[i] = Stopwatch.GetTimestamp();
                // Rows of all the writers in turn, as the other modes write them: one writer's ids alone would land
                // on a few index pages and make the ceiling up to 5x cheaper per row than the same rows interleaved.
                SqliteRows.Bind(command, settings.Workload, rows, (int)(n % settings.Writers), n / settings.Writers);
                command.ExecuteNonQuery();
            }

            commit.ExecuteNonQuery();
            var committed = Stopwatch.GetTimestamp();
            for (var i = 0; i < batch; i++)
            {
                latencies.Add((float)Stopwatch.GetElapsedTime(starts[i], committed).TotalMilliseconds);
            }
        }

        return new WorkerResult(latencies.Count, 0, clock.Elapsed.TotalSeconds, latencies.ToArray(), null);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Filix.Concurrency.Worker;
using Filix.Runtime.Diagnostics;
using Filix.Runtime.Writing;

namespace Filix.Concurrency.Tests;

/// <summary>The writer's metrics as a collector sees them: a MeterListener on the "Filix.Writer" meter.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task The_writer_reports_operations_failures_batches_commit_time_lock_waits_and_queue_depth_per_database()
    {
        using var temp = new TempDatabase();
        var seen = new ConcurrentQueue<(string Instrument, double Value, string? Path)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FilixMetrics.WriterMeter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => seen.Enqueue((i.Name, v, PathOf(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Enqueue((i.Name, v, PathOf(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Enqueue((i.Name, v, PathOf(tags))));
        listener.Start();

        await using var db = await temp.OpenAsync();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => db.WriteAsync(TestSchema.Write, new TestSchema.Row("m" + i, "p", 0, i))));
        await Assert.ThrowsAnyAsync<Exception>(() => db.WriteAsync(TestSchema.Write, new TestSchema.Row("m0", "p", 0, 0)));

        // Another process's writer holds the lock file: this write must wait for it, and the wait is counted.
        var other = WriteLock.Open(temp.Path)!;
        Assert.Equal(TimeSpan.Zero, other.Acquire());
        var waiting = db.WriteAsync(TestSchema.Write, new TestSchema.Row("waited", "p", 0, 0));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted, "A write committed while another holder had the write lock.");
        other.Release();
        other.Dispose();
        await waiting;

        listener.RecordObservableInstruments();
        var mine = seen.Where(m => m.Path == temp.Path).ToList();
        double Sum(string name) => mine.Where(m => m.Instrument == name).Sum(m => m.Value);

        Assert.Equal(11, Sum(FilixMetrics.Operations));
        Assert.Equal(1, Sum(FilixMetrics.Failures));
        Assert.Equal(11, Sum(FilixMetrics.BatchSize)); // the batch sizes add up to the committed operations
        Assert.Contains(mine, m => m.Instrument == FilixMetrics.CommitDuration && m.Value > 0);
        Assert.True(Sum(FilixMetrics.LockWaits) >= 1);
        Assert.Contains(mine, m => m.Instrument == FilixMetrics.LockWaitDuration && m.Value > 0);
        Assert.Contains(mine, m => m.Instrument == FilixMetrics.QueueDepth && m.Value == 0);
    }

    private static string? PathOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == FilixMetrics.DatabasePathTag)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}

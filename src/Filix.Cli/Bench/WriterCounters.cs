using System.Diagnostics.Metrics;
using Filix.Runtime.Diagnostics;

namespace Filix.Cli.Bench;

/// <summary>Listens to this process's "Filix.Writer" meter during a run, to explain the figures: how many writes
/// each commit carried, and how often and how long a writer waited for another process's lock.</summary>
internal sealed class WriterCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches;
    private long _batched;
    private long _lockWaits;
    private double _lockWaitMs;
    private double _commitMs;

    public WriterCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FilixMetrics.WriterMeter)
            {
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, state) =>
        {
            if (instrument.Name == FilixMetrics.BatchSize)
            {
                Interlocked.Increment(ref ((WriterCounters)state!)._batches);
                Interlocked.Add(ref ((WriterCounters)state!)._batched, value);
            }
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, state) =>
        {
            if (instrument.Name == FilixMetrics.LockWaits)
            {
                Interlocked.Add(ref ((WriterCounters)state!)._lockWaits, value);
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, state) =>
        {
            lock (state!)
            {
                if (instrument.Name == FilixMetrics.LockWaitDuration)
                {
                    ((WriterCounters)state)._lockWaitMs += value;
                }
                else if (instrument.Name == FilixMetrics.CommitDuration)
                {
                    ((WriterCounters)state)._commitMs += value;
                }
            }
        });
        _listener.Start();
    }

    public long Batches => Interlocked.Read(ref _batches);

    public long Batched => Interlocked.Read(ref _batched);

    public long LockWaits => Interlocked.Read(ref _lockWaits);

    public double LockWaitMs
    {
        get
        {
            lock (this)
            {
                return _lockWaitMs;
            }
        }
    }

    /// <summary>Total time spent inside transactions (BEGIN to end of COMMIT).</summary>
    public double CommitMs
    {
        get
        {
            lock (this)
            {
                return _commitMs;
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Filix.Runtime.Diagnostics;

/// <summary>The instruments behind <see cref="FilixMetrics"/>, shared by every writer of the process.</summary>
internal static class WriterMetrics
{
    private static readonly Meter Meter = new(FilixMetrics.WriterMeter, typeof(WriterMetrics).Assembly.GetName().Version?.ToString());
    private static readonly ConcurrentDictionary<IQueueDepthSource, byte> Sources = new();

    public static readonly Histogram<int> BatchSize =
        Meter.CreateHistogram<int>(FilixMetrics.BatchSize, "{operation}", "Operations committed together in one transaction.");

    public static readonly Histogram<double> CommitDuration =
        Meter.CreateHistogram<double>(FilixMetrics.CommitDuration, "ms", "Time from BEGIN IMMEDIATE to the end of COMMIT of one batch.");

    public static readonly Counter<long> LockWaits =
        Meter.CreateCounter<long>(FilixMetrics.LockWaits, "{wait}", "Batches that waited for another process's write lock.");

    public static readonly Histogram<double> LockWaitDuration =
        Meter.CreateHistogram<double>(FilixMetrics.LockWaitDuration, "ms", "How long a batch waited for another process's write lock.");

    public static readonly Counter<long> Operations =
        Meter.CreateCounter<long>(FilixMetrics.Operations, "{operation}", "Write operations committed and acknowledged.");

    public static readonly Counter<long> Failures =
        Meter.CreateCounter<long>(FilixMetrics.Failures, "{operation}", "Write operations that failed and stored nothing.");

    static WriterMetrics() =>
        Meter.CreateObservableGauge(FilixMetrics.QueueDepth, ObserveQueueDepths, "{operation}", "Writes waiting in the queue.");

    /// <summary>The tags every measurement of one database carries.</summary>
    public static KeyValuePair<string, object?>[] Tags(string path, string domain) =>
    [
        new(FilixMetrics.DatabasePathTag, path),
        new(FilixMetrics.DomainTag, domain),
    ];

    public static void Track(IQueueDepthSource source) => Sources.TryAdd(source, 0);

    public static void Untrack(IQueueDepthSource source) => Sources.TryRemove(source, out _);

    private static IEnumerable<Measurement<int>> ObserveQueueDepths()
    {
        foreach (var source in Sources.Keys)
        {
            yield return new Measurement<int>(source.QueueDepth, source.MetricTags);
        }
    }
}

/// <summary>A writer as the queue-depth gauge sees it.</summary>
internal interface IQueueDepthSource
{
    int QueueDepth { get; }

    KeyValuePair<string, object?>[] MetricTags { get; }
}

namespace Filix.Runtime.Diagnostics;

/// <summary>
/// The names under which Filix publishes its metrics (System.Diagnostics.Metrics), for <c>dotnet-counters</c>,
/// OpenTelemetry or a <see cref="System.Diagnostics.Metrics.MeterListener"/>. Every measurement carries the tags
/// <see cref="DatabasePathTag"/> and <see cref="DomainTag"/>. Durations are histograms in milliseconds: take
/// p50/p95/p99 from them in the collector.
/// </summary>
/// <example><c>dotnet-counters monitor -n filix --counters Filix.Writer</c></example>
public static class FilixMetrics
{
    /// <summary>The meter of the group-commit writer.</summary>
    public const string WriterMeter = "Filix.Writer";

    /// <summary>Tag: the database file's full path.</summary>
    public const string DatabasePathTag = "db.path";

    /// <summary>Tag: the domain name (<c>entities</c>).</summary>
    public const string DomainTag = "filix.domain";

    /// <summary>Observable gauge: writes waiting in the queue of each open database.</summary>
    public const string QueueDepth = "filix.writer.queue.depth";

    /// <summary>Histogram: operations committed together in one transaction.</summary>
    public const string BatchSize = "filix.writer.batch.size";

    /// <summary>Histogram (ms): from <c>BEGIN IMMEDIATE</c> to the end of <c>COMMIT</c> of one batch.</summary>
    public const string CommitDuration = "filix.writer.commit.duration";

    /// <summary>Counter: batches that had to wait for another process's write lock.</summary>
    public const string LockWaits = "filix.writer.lock.waits";

    /// <summary>Histogram (ms): how long those waits lasted.</summary>
    public const string LockWaitDuration = "filix.writer.lock.wait.duration";

    /// <summary>Counter: operations committed (acknowledged to their callers).</summary>
    public const string Operations = "filix.writer.operations";

    /// <summary>Counter: operations that failed (their own error, or a failed commit of their batch).</summary>
    public const string Failures = "filix.writer.failures";
}

namespace Filix.Runtime;

/// <summary>How a database is opened. The defaults are what most users want; each is documented with its trade-off.</summary>
public sealed record FilixOptions
{
    public static readonly FilixOptions Default = new();

    /// <summary>
    /// <c>NORMAL</c> (default): in WAL mode a committed write survives a crash or kill of the process; a power
    /// loss or OS crash may roll back the last transactions but never corrupts the file. <c>FULL</c>: also
    /// survives power loss, at the cost of an fsync per commit (the group-commit writer amortises it).
    /// </summary>
    public SynchronousMode Synchronous { get; init; } = SynchronousMode.Normal;

    /// <summary>How long SQLite waits for another process's lock before giving up (<c>busy_timeout</c>).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many read connections are open at once; more concurrent readers wait.</summary>
    public int MaxReaders { get; init; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>Create the file and its tables if it does not exist. When false a missing file is an error.</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>
    /// How many writes may wait for the writer before callers of <see cref="FilixDatabase.WriteAsync{TState, TResult}"/>
    /// wait for room (backpressure). Bounds the memory held by queued writes.
    /// </summary>
    public int WriteQueueCapacity { get; init; } = 4096;

    /// <summary>At most this many queued writes are committed in one transaction.</summary>
    public int MaxBatchSize { get; init; } = 1024;

    /// <summary>
    /// Writers in different processes hand the write lock to each other through a kernel lock on
    /// <c>&lt;db&gt;-filix.lock</c> (see docs/concurrency.md) instead of SQLite's sleep-and-retry busy handler.
    /// Turn off only to measure the difference; Windows always uses the busy handler.
    /// </summary>
    public bool CrossProcessWriteLock { get; init; } = true;

    /// <summary>
    /// All processes of this machine that open the database commit through one writer: the first to open it owns the
    /// writer and the others send it their <see cref="FilixDatabase.ExecuteAsync"/> writes (every generated
    /// repository write) over a Unix socket beside the database (see docs/concurrency.md). Writes given as delegates
    /// (<see cref="FilixDatabase.WriteAsync{TState, TResult}"/>) always run in their own process. Turn off to
    /// measure the difference; Windows never shares.
    /// </summary>
    public bool ShareWriter { get; init; } = true;
}

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels that are safe in WAL mode.</summary>
public enum SynchronousMode
{
    Normal,
    Full,
}

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

    /// <summary>
    /// What opening does when the database's folder is on a network or shared file system (SMB/CIFS, NFS, 9p such as
    /// WSL's <c>/mnt/c</c>, FUSE ...), where SQLite's WAL mode is not safe. <see cref="UnsafeFileSystemMode.Refuse"/>
    /// (default): a <see cref="FilixException"/> that names the file system and the fix.
    /// <see cref="UnsafeFileSystemMode.ExclusiveRollbackJournal"/>: open it anyway in <c>journal_mode=DELETE</c>, this
    /// process holding the file alone until it closes; slower (docs/reliability/filesystems.md). No effect on a local disk.
    /// The filix CLI takes it from the environment variable <c>FILIX_UNSAFE_FILESYSTEM=exclusive-rollback-journal</c>.
    /// </summary>
    public UnsafeFileSystemMode UnsafeFileSystem { get; init; } = UnsafeFileSystemMode.Refuse;
}

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels that are safe in WAL mode.</summary>
public enum SynchronousMode
{
    Normal,
    Full,
}

/// <summary>What Filix does with a database whose folder is on a file system where WAL is unsafe (see
/// <see cref="FilixOptions.UnsafeFileSystem"/>).</summary>
public enum UnsafeFileSystemMode
{
    /// <summary>Refuse to open it, saying which file system was found, why, and what to do.</summary>
    Refuse,

    /// <summary>
    /// Open it in SQLite's rollback-journal mode (<c>journal_mode=DELETE</c>), which needs no shared memory, with the
    /// one connection holding the file's lock from first use to close (<c>locking_mode=EXCLUSIVE</c>): this process is
    /// the single writer and reader, any other process or machine gets "database is locked" instead of a chance to
    /// corrupt it through locks the network does not honour. Reads queue behind writes on that connection, each
    /// commit writes and deletes a journal over the network, and the shared writer (<see cref="FilixOptions.ShareWriter"/>)
    /// is off. Slower; meant for one process that has no local disk, not for sharing a file between machines.
    /// </summary>
    ExclusiveRollbackJournal,
}

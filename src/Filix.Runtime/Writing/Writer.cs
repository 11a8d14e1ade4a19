using System.Threading.Channels;
using Filix.Runtime.Diagnostics;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Sync.Local;

namespace Filix.Runtime.Writing;

/// <summary>
/// The group-commit writer of one database in this process. Callers on any thread enqueue operations into a
/// bounded queue; one dedicated thread takes every operation waiting, runs them in a single
/// <c>BEGIN IMMEDIATE</c> ... <c>COMMIT</c> (each in its own savepoint, unless a local write is alone in it:
/// <see cref="ISavepointFree"/>), and completes the callers' tasks only
/// when that commit has returned, so one commit (and, at <c>synchronous=FULL</c>, one fsync) serves the batch.
/// </summary>
/// <remarks>
/// <para>A dedicated thread rather than tasks: Microsoft.Data.Sqlite runs synchronously, so the writer would block
/// a pool thread for every commit anyway; owning one thread keeps the write connection on one thread and never
/// starves the pool under load.</para>
/// <para>The queue is bounded (<see cref="FilixOptions.WriteQueueCapacity"/>): when the disk cannot keep up,
/// callers wait in <see cref="ExecuteAsync{TState, TResult}"/> instead of growing memory without limit.</para>
/// </remarks>
internal sealed partial class Writer : IAsyncDisposable, IQueueDepthSource
{
    private readonly SqliteSession _session;
    private readonly WriteLock? _lock;
    private readonly TransactionStatements _transaction;
    private readonly Checkpointer _checkpointer;
    private readonly string _path;
    private readonly int _maxBatch;
    private readonly Channel<IWriteOperation> _queue;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile FilixException? _fault;
    private volatile ICommitParticipant? _participant;

    // The capture log's fold at the end of each transaction, outside every savepoint (CommitFold); null for a
    // database without shared tables.
    private readonly CommitFold? _fold;

    public Writer(SqliteSession session, string path, string domain, FilixOptions options, CommitFold? fold = null)
    {
        _session = session;
        _fold = fold;
        _path = path;
        _maxBatch = options.MaxBatchSize;
        _lock = options.CrossProcessWriteLock ? WriteLock.Open(path) : null;
        try
        {
            _transaction = new TransactionStatements(session.Connection);
            Checkpointer.TakeOverFrom(session);
            _checkpointer = new Checkpointer(path, options, wal: string.Equals(session.Scalar("PRAGMA journal_mode") as string, "wal", StringComparison.OrdinalIgnoreCase));
        }
        catch
        {
            _transaction?.Dispose();
            _lock?.Dispose();
            throw;
        }

        MetricTags = WriterMetrics.Tags(path, domain);
        _queue = Channel.CreateBounded<IWriteOperation>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,

            // Lets a producer's TryWrite wake the blocked writer thread directly instead of through a thread-pool
            // hop. The only continuations that run inline are this class's own (the writer's wait and
            // EnqueueSlowAsync's resumption); callers' code never does: their tasks complete asynchronously.
            AllowSynchronousContinuations = true,
        });
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "Filix writer " + System.IO.Path.GetFileName(path),
        };
        WriterMetrics.Track(this);
        _thread.Start();
    }

    /// <summary>True on the writer thread, that is, inside a write delegate.</summary>
    public bool IsWriterThread => Thread.CurrentThread == _thread;

    /// <summary>True once the writer thread stopped on an error (not by closing): nothing queued will run.</summary>
    public bool Faulted => _fault is not null;

    /// <summary>Writes queued and not yet taken by the writer thread.</summary>
    public int QueueDepth => _queue.Reader.Count;

    public KeyValuePair<string, object?>[] MetricTags { get; }

    /// <summary>Takes part in every transaction from the next batch on (the shared writer's owner sets it once).</summary>
    public ICommitParticipant? Participant
    {
        get => _participant;
        set => _participant = value;
    }

    /// <summary>Queues <paramref name="write"/>; the task completes once its batch has committed.</summary>
    public Task<TResult> ExecuteAsync<TState, TResult>(Func<SqliteSession, TState, TResult> write, TState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        if (Thread.CurrentThread == _thread)
        {
            // The writer would wait for itself: a write delegate must do its work on the session it is given.
            return Task.FromException<TResult>(new InvalidOperationException(
                $"A write to '{_path}' was started from inside another write's delegate. Use the session passed to the delegate instead."));
        }

        var operation = new WriteOperation<TState, TResult>(write, state, cancellationToken);
        if (_queue.Writer.TryWrite(operation))
        {
            return operation.Task;
        }

        return EnqueueSlowAsync(operation, cancellationToken);
    }

    /// <summary>Queues an operation that reports its own outcome (a write from another process), waiting for room.</summary>
    /// <exception cref="FilixException">The writer is closing.</exception>
    public async ValueTask EnqueueAsync(IWriteOperation operation, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(operation))
        {
            return;
        }

        try
        {
            await _queue.Writer.WriteAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw Closed();
        }

        if (Thread.CurrentThread == _thread)
        {
            await Task.Yield(); // resumed inline by the writer thread (see EnqueueSlowAsync): leave it
        }
    }

    private async Task<TResult> EnqueueSlowAsync<TState, TResult>(WriteOperation<TState, TResult> operation, CancellationToken cancellationToken)
    {
        try
        {
            // Backpressure: the queue is full, so wait for room (or fail if the database is closing).
            await _queue.Writer.WriteAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            var error = Closed();
            operation.Fail(error);
            throw error;
        }

        if (Thread.CurrentThread == _thread)
        {
            // Room in the queue was made by the writer thread, which resumed us inline (synchronous channel
            // continuations); leave it before the caller's code can run there.
            await Task.Yield();
        }

        return await operation.Task.ConfigureAwait(false);
    }

    /// <summary>Why a write cannot be queued any more: the database is closing, or the writer stopped on an error.</summary>
    public FilixException Closed() => _fault is { } fault
        ? new($"The writer of '{_path}' stopped after an error, so the write was not queued and nothing was written: {fault.InnerException?.Message ?? fault.Message} Dispose this database and open it again.", _path, fault)
        : new($"The database '{_path}' is closing or closed: the write was not queued and nothing was written. Finish writes before disposing the database.", _path);

    /// <summary>
    /// Stops taking new writes, commits every write already queued, checkpoints the WAL into the database file
    /// and closes the write connection. Safe to call more than once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Thread.CurrentThread == _thread)
        {
            throw new InvalidOperationException($"The database '{_path}' cannot be disposed from inside one of its write delegates.");
        }

        _queue.Writer.TryComplete();

        await _stopped.Task.ConfigureAwait(false);
    }
}

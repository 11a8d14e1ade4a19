using Filix.Runtime.Sqlite;

namespace Filix.Runtime.Writing;

/// <summary>One queued write as the writer thread sees it, whatever its state and result types.</summary>
internal interface IWriteOperation
{
    /// <summary>Claims the operation for running; false if its caller cancelled it while it was queued.</summary>
    bool TryStart();

    /// <summary>Runs the caller's delegate on the write connection (inside the batch's transaction and the
    /// operation's savepoint) and keeps its result until the batch is durable.</summary>
    void Run(SqliteSession session);

    /// <summary>The batch committed: hands the kept result to the caller.</summary>
    void Succeed();

    /// <summary>Nothing of this operation is stored: fails the caller's task with <paramref name="error"/>.</summary>
    /// <returns>False when the task had already completed (the caller cancelled it while it was queued).</returns>
    bool Fail(Exception error);
}

/// <summary>
/// A write and its caller's task. The operation is its own <see cref="TaskCompletionSource{TResult}"/> (one
/// allocation per write); continuations run asynchronously so a caller's code never runs on the writer thread.
/// </summary>
internal sealed class WriteOperation<TState, TResult> : TaskCompletionSource<TResult>, IWriteOperation
{
    private const int Queued = 0;
    private const int Running = 1;
    private const int Cancelled = 2;

    private readonly Func<SqliteSession, TState, TResult> _write;
    private readonly TState _state;
    private readonly CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private TResult? _result;
    private int _status;

    public WriteOperation(Func<SqliteSession, TState, TResult> write, TState state, CancellationToken cancellationToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _write = write;
        _state = state;
        _cancellationToken = cancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            // Cancelling a queued write completes its task at once; the writer later skips it (TryStart fails).
            _registration = cancellationToken.UnsafeRegister(static self => ((WriteOperation<TState, TResult>)self!).CancelIfQueued(), this);
        }
    }

    public bool TryStart() => Interlocked.CompareExchange(ref _status, Running, Queued) == Queued;

    public void Run(SqliteSession session) => _result = _write(session, _state);

    public void Succeed()
    {
        _registration.Unregister();
        TrySetResult(_result!);
    }

    public bool Fail(Exception error)
    {
        _registration.Unregister();
        return TrySetException(error);
    }

    private void CancelIfQueued()
    {
        if (Interlocked.CompareExchange(ref _status, Cancelled, Queued) == Queued)
        {
            TrySetCanceled(_cancellationToken);
        }
    }
}

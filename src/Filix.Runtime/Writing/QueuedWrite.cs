namespace Filix.Runtime.Writing;

/// <summary>
/// A write waiting in a queue, and its caller's task (one allocation per write). Cancelling it while it waits
/// completes the task at once and the queue's reader skips it; once claimed (<see cref="TryStart"/>) it runs to its
/// outcome. Continuations run asynchronously, so a caller's code never runs on the thread that completes it.
/// </summary>
internal abstract class QueuedWrite<TResult> : TaskCompletionSource<TResult>
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    private CancellationTokenRegistration _registration;
    private int _status;

    protected QueuedWrite(CancellationToken cancellationToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        CancellationToken = cancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static self => ((QueuedWrite<TResult>)self!).CancelIfQueued(), this);
        }
    }

    protected CancellationToken CancellationToken { get; }

    /// <summary>Claims the write for running or sending; false if its caller cancelled it while it was queued.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _status, Started, Queued) == Queued;

    public void Succeed(TResult result)
    {
        _registration.Unregister();
        TrySetResult(result);
    }

    /// <returns>False when the task had already completed (the caller cancelled it while it was queued).</returns>
    public bool Fail(Exception error)
    {
        _registration.Unregister();
        return TrySetException(error);
    }

    private void CancelIfQueued()
    {
        if (Interlocked.CompareExchange(ref _status, Cancelled, Queued) == Queued)
        {
            TrySetCanceled(CancellationToken);
        }
    }
}

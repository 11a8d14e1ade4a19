using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>A write on its way to another process's writer, and its caller's task.</summary>
internal sealed class ClientWrite : TaskCompletionSource<int>
{
    private const int Queued = 0;
    private const int Sent = 1;
    private const int Cancelled = 2;

    private readonly CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private int _status;

    public ClientWrite(StatementWrite write, CancellationToken cancellationToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Write = write;
        _cancellationToken = cancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static self => ((ClientWrite)self!).CancelIfQueued(), this);
        }
    }

    public StatementWrite Write { get; }

    /// <summary>Claims the write for sending; false if its caller cancelled it first. Once sent it cannot be taken back.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _status, Sent, Queued) == Queued;

    public void Succeed(int changes)
    {
        _registration.Unregister();
        TrySetResult(changes);
    }

    public void Fail(Exception error)
    {
        _registration.Unregister();
        TrySetException(error);
    }

    /// <summary>Hands the write, never sent, to another path (this process's own writer) and mirrors its outcome.</summary>
    public void Reroute(Func<StatementWrite, CancellationToken, Task<int>> execute)
    {
        _registration.Unregister();
        if (!TryStart())
        {
            return; // cancelled while queued; the other path's own cancellation covers it from here
        }

        execute(Write, _cancellationToken).ContinueWith(
            static (done, self) =>
            {
                var write = (ClientWrite)self!;
                if (done.IsCompletedSuccessfully)
                {
                    write.TrySetResult(done.Result);
                }
                else if (done.IsCanceled)
                {
                    write.TrySetCanceled(write._cancellationToken);
                }
                else
                {
                    write.TrySetException(done.Exception!.InnerExceptions);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void CancelIfQueued()
    {
        if (Interlocked.CompareExchange(ref _status, Cancelled, Queued) == Queued)
        {
            TrySetCanceled(_cancellationToken);
        }
    }
}

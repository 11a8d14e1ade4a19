using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>A write on its way to another process's writer, and its caller's task. Once sent it cannot be taken back.</summary>
internal sealed class ClientWrite(StatementWrite write, CancellationToken cancellationToken) : QueuedWrite<int>(cancellationToken)
{
    public StatementWrite Write { get; } = write;

    /// <summary>Hands the write, never sent, to another path (this process's own writer) and mirrors its outcome.</summary>
    public void Reroute(Func<StatementWrite, CancellationToken, Task<int>> execute)
    {
        if (!TryStart())
        {
            return; // cancelled while queued; from here on the other path's own cancellation covers it
        }

        execute(Write, CancellationToken).ContinueWith(
            static (done, self) =>
            {
                var write = (ClientWrite)self!;
                if (done.IsCompletedSuccessfully)
                {
                    write.Succeed(done.Result);
                }
                else if (done.IsCanceled)
                {
                    write.TrySetCanceled(write.CancellationToken);
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
}

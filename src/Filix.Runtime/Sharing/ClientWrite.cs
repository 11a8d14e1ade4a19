using System.Diagnostics;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>A write on its way to another process's writer, and its caller's task. Once sent it cannot be taken
/// back: if the connection breaks before its answer, it is resolved through the next route (<see cref="Earlier"/>).</summary>
internal sealed class ClientWrite(StatementWrite write, CancellationToken cancellationToken) : QueuedWrite<int>(cancellationToken)
{
    private long _firstSent;
    private DateTime _firstSentUtc;

    public StatementWrite Write { get; } = write;

    /// <summary>The sendings that went unanswered, oldest first; null while the write was never in doubt.</summary>
    public List<Sending>? Earlier { get; private set; }

    /// <summary>Claims the write for sending: a fresh one unless its caller cancelled it; one in doubt always.</summary>
    public bool Claim() => Earlier is not null || TryStart();

    /// <summary>The write is being sent (the first time starts the clock of <see cref="MayResolve"/>).</summary>
    public void Sent() => Sent(Stopwatch.GetTimestamp(), DateTime.UtcNow);

    /// <summary><see cref="Sent()"/> at given clock readings (tests: a suspend or a clock set forward).</summary>
    internal void Sent(long timestamp, DateTime utcNow)
    {
        if (_firstSent == 0)
        {
            _firstSent = timestamp;
            _firstSentUtc = utcNow;
        }
    }

    /// <summary>The connection broke with this sending unanswered: the write is now in doubt.</summary>
    public void Unanswered(long client, long request) => (Earlier ??= []).Add(new Sending(client, request));

    /// <summary>False once the records of its first sending may have been swept (half of
    /// <see cref="OutcomeLedger.Retention"/> later, a wide margin): then no record would wrongly mean "not stored".</summary>
    /// <remarks>Both clocks must agree: the sweep ages records by the wall clock, which runs on while the machine
    /// sleeps (the monotonic clock does not) and may be set forward; the monotonic clock guards against the wall
    /// clock being set back.</remarks>
    public bool MayResolve =>
        Stopwatch.GetElapsedTime(_firstSent) < OutcomeLedger.Retention / 2 && DateTime.UtcNow - _firstSentUtc < OutcomeLedger.Retention / 2;

    public void Complete(WriteOutcome outcome, string databasePath)
    {
        if (outcome.Failure is { } failure)
        {
            Fail(failure.ToException(databasePath));
        }
        else
        {
            Succeed(outcome.Changes);
        }
    }

    /// <summary>Fails the write as in doubt for good; <paramref name="why"/> (after "A write to 'path' ") says why
    /// it could not be resolved.</summary>
    public void FailUnknown(string databasePath, string why) =>
        Fail(new FilixException($"A write to '{databasePath}' {why}: it {InDoubt.UnknownOutcome}", databasePath));

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

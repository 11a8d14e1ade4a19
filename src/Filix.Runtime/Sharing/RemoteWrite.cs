using Filix.Runtime.Sqlite;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>
/// A write another process sent to this process's writer; its outcome goes back as a frame, not a task, and is
/// recorded in the same transaction (<see cref="OutcomeLedger"/>). A <see cref="Protocol.RetryFrame"/> carries the
/// earlier sendings of the write (to owners that went away): it runs only if none of them was stored.
/// </summary>
internal sealed class RemoteWrite(HostConnection connection, long request, StatementWrite write, Sending[]? earlier, OutcomeLedger ledger) : IWriteOperation
{
    private bool _recorded;
    private int _answered;

    public HostConnection Connection => connection;

    public long Request => request;

    /// <summary>Set once the write ran or failed; what the ledger records.</summary>
    public WriteOutcome Outcome { get; private set; }

    // Once read off the socket a remote write always runs: its sender can no longer take it back.
    public bool TryStart() => true;

    public void Run(SqliteSession session)
    {
        if (earlier is not null && InDoubt.Find(ledger, session, earlier) is { } found)
        {
            Outcome = found;
            _recorded = true;
            return;
        }

        Outcome = WriteOutcome.Stored(write.Execute(session));
    }

    public void Succeed()
    {
        if (Interlocked.Exchange(ref _answered, 1) == 0)
        {
            connection.Reply(request, Outcome);
        }
    }

    /// <returns>False when it already had its outcome (a writer failing everything it holds after a crash).</returns>
    public bool Fail(Exception error)
    {
        // One reply per write: a second would also count the connection's unanswered writes down twice.
        if (Interlocked.Exchange(ref _answered, 1) == 1)
        {
            return false;
        }

        // An outcome found in a record is what happened to the write, whatever becomes of this transaction.
        if (!_recorded)
        {
            Outcome = WriteOutcome.Failed(error);
        }

        connection.Reply(request, Outcome);
        return true;
    }
}

using Filix.Runtime.Sqlite;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>
/// Resolving a write whose owner went away before answering: the ledger is asked about every sending of it; a
/// recorded outcome is its answer, and with none the write was never stored, so it runs now (in the same
/// savepoint, so it is stored at most once). Used by the owner for <see cref="Protocol.RetryFrame"/> frames and by a
/// process that became the owner itself (<see cref="LocalRetry"/>).
/// </summary>
internal static class InDoubt
{
    /// <summary>The recorded outcome, or null when no sending of the write was stored.</summary>
    /// <exception cref="FilixException">The records cannot be read: the outcome stays unknown.</exception>
    public static WriteOutcome? Find(OutcomeLedger ledger, SqliteSession session, IReadOnlyList<Sending> sendings)
    {
        try
        {
            return ledger.Find(session, sendings);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidDataException)
        {
            throw new FilixException(
                $"The process that owned the writer of '{session.Connection.DataSource}' went away before answering this write, and its outcome could not be read back from {OutcomeLedger.Table} ({ex.Message}): " +
                $"it {UnknownOutcome}", session.Connection.DataSource, ex);
        }
    }

    /// <summary>The end of every message for a write whose outcome Filix cannot tell.</summary>
    public const string UnknownOutcome =
        "may or may not have been stored. Read the row back before retrying a write that is not idempotent.";
}

/// <summary>An unanswered write resolved in this process's own writer, after this process became the owner.</summary>
internal sealed class LocalRetry(ClientWrite write, OutcomeLedger ledger, string databasePath) : IWriteOperation
{
    private WriteOutcome _outcome;
    private bool _recorded;

    public bool TryStart() => true; // claimed when it was first sent

    public void Run(SqliteSession session)
    {
        if (InDoubt.Find(ledger, session, write.Earlier!) is { } found)
        {
            _outcome = found;
            _recorded = true;
            return;
        }

        _outcome = WriteOutcome.Stored(write.Write.Execute(session));
    }

    public void Succeed() => write.Complete(_outcome, databasePath);

    public bool Fail(Exception error)
    {
        if (_recorded)
        {
            write.Complete(_outcome, databasePath); // what happened to it before; this transaction changes nothing
        }
        else
        {
            write.Fail(error);
        }

        return true;
    }
}

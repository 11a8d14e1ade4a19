using Filix.Runtime.Sqlite;

namespace Filix.Runtime.Writing;

/// <summary>
/// Work that must commit or roll back together with each batch of the writer (<see cref="Writer.Participant"/>):
/// the shared writer records there which remote writes a transaction decided, so a client that loses its owner can
/// learn their outcome (see <c>Sharing/OutcomeLedger.cs</c>).
/// </summary>
internal interface ICommitParticipant
{
    /// <summary>
    /// On the writer thread, inside the transaction, after every operation of it ran and before <c>COMMIT</c>.
    /// <paramref name="operations"/> are all the operations of the transaction: those that succeeded, those that
    /// failed in their savepoint (already failed: nothing of them is stored) and those cancelled before they ran.
    /// A <see cref="Microsoft.Data.Sqlite.SqliteException"/> fails the whole batch, as a failing COMMIT does.
    /// </summary>
    void BeforeCommit(SqliteSession session, ReadOnlySpan<IWriteOperation> operations);

    /// <summary>The transaction <see cref="BeforeCommit"/> wrote into has committed.</summary>
    void Committed();
}

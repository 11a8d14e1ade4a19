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
/// An operation whose outcome only its own caller learns (nothing records it in the transaction, unlike a write
/// from another process, whose outcome the shared writer's ledger stores). Alone in a transaction it runs without a
/// savepoint: rolling the transaction back undoes exactly what the savepoint would. That matters for writes of many
/// statements on tables with triggers (the capture triggers of shared tables): each such statement keeps a
/// statement journal, and inside an open savepoint SQLite cannot truncate it between statements, so every page
/// each statement touches is copied again into an ever-growing sub-journal (measured: twice the cost of the same
/// inserts without the savepoint; docs/benchmarks.md, "Capture on the write path").
/// </summary>
internal interface ISavepointFree;

/// <summary>A delegate write (<see cref="FilixDatabase.WriteAsync{TState, TResult}"/>) and its caller's task.</summary>
internal sealed class WriteOperation<TState, TResult>(Func<SqliteSession, TState, TResult> write, TState state, CancellationToken cancellationToken)
    : QueuedWrite<TResult>(cancellationToken), IWriteOperation, ISavepointFree
{
    private TResult? _result;

    public void Run(SqliteSession session) => _result = write(session, state);

    void IWriteOperation.Succeed() => Succeed(_result!);
}

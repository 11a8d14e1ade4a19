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

/// <summary>A delegate write (<see cref="FilixDatabase.WriteAsync{TState, TResult}"/>) and its caller's task.</summary>
internal sealed class WriteOperation<TState, TResult>(Func<SqliteSession, TState, TResult> write, TState state, CancellationToken cancellationToken)
    : QueuedWrite<TResult>(cancellationToken), IWriteOperation
{
    private TResult? _result;

    public void Run(SqliteSession session) => _result = write(session, state);

    void IWriteOperation.Succeed() => Succeed(_result!);
}

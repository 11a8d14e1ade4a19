using System.Diagnostics;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>
/// The owner's record of what became of its clients' writes, kept in the database in the same transaction that
/// decided them (<see cref="ICommitParticipant"/>), so it is exactly as durable as the writes themselves. A client
/// whose owner died with its writes unanswered asks the next owner about them (<see cref="Find"/>); a record is
/// deleted once its reply has reached the client, or when it is older than <see cref="Retention"/>.
/// </summary>
/// <remarks>
/// One row per client and transaction (<see cref="OutcomeRun"/>), so a batch costs one small INSERT per client, not
/// one per write, and the rows append to one page (see <c>OutcomeLedger.Sql.cs</c>). Pruning runs at most every
/// <see cref="PruneInterval"/>, in whatever transaction is committing then.
/// </remarks>
internal sealed partial class OutcomeLedger(Writer writer) : ICommitParticipant
{
    /// <summary>Internal, like <c>_filix_meta</c>: not part of the domain's schema, its hash or its migrations.</summary>
    public const string Table = "_filix_write_outcomes";

    /// <summary>Records older than this are deleted when a process becomes the owner, and hourly after that. A client
    /// asks about a write only within half of it (<see cref="ClientWrite.MayResolve"/>).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private static readonly TimeSpan PruneInterval = TimeSpan.FromMilliseconds(100);

    private readonly List<HostConnection> _connections = [];
    private readonly List<OutcomeRun> _touched = [];
    private bool _exists; // committed
    private bool _createdNow; // by the BeforeCommit running now
    private bool _createdInCommit; // by the last BeforeCommit, for Committed
    private bool _sweptNow;
    private long _nextPrune;
    private long _nextSweep; // 0: at the first transaction, that is, when this process has just become the owner

    /// <summary>A connection whose outcomes are recorded from now on.</summary>
    public void Register(HostConnection connection)
    {
        lock (_connections)
        {
            _connections.Add(connection);
        }
    }

    /// <summary>Every reply of <paramref name="connection"/> has been sent: deletes its delivered records now (the
    /// undelivered ones stay for the client to ask about) and forgets the connection.</summary>
    public async Task EndAsync(HostConnection connection)
    {
        connection.Ended = true;
        await PruneNowAsync().ConfigureAwait(false);
    }

    /// <summary>Runs a pruning pass through the writer (after the last client hung up, no batch may follow).</summary>
    public async Task PruneNowAsync()
    {
        var prune = new PruneOperation(this);
        try
        {
            await writer.EnqueueAsync(prune, CancellationToken.None).ConfigureAwait(false);
        }
        catch (FilixException)
        {
            return; // the writer is closed: what is left is deleted by the next owner's sweep
        }

        await prune.Task.ConfigureAwait(false);
    }

    public void BeforeCommit(SqliteSession session, ReadOnlySpan<IWriteOperation> operations)
    {
        _createdNow = _sweptNow = false;
        try
        {
            foreach (var operation in operations)
            {
                if (operation is not RemoteWrite remote)
                {
                    continue;
                }

                var run = remote.Connection.Outcomes;
                if (run.IsEmpty)
                {
                    _touched.Add(run);
                }
                else if (!run.Continues(remote.Request))
                {
                    Insert(session, run); // not expected (one connection's writes are queued in order); kept correct
                    run.Clear();
                }

                run.Add(remote.Request, remote.Outcome);
            }

            foreach (var run in _touched)
            {
                Insert(session, run);
            }

            var now = Stopwatch.GetTimestamp();
            if (now >= _nextPrune)
            {
                _nextPrune = now + (long)(PruneInterval.TotalSeconds * Stopwatch.Frequency);
                Prune(session, final: false);
            }

            if (now >= _nextSweep)
            {
                Sweep(session);
            }
        }
        finally
        {
            foreach (var run in _touched)
            {
                run.Clear();
            }

            _touched.Clear();
            _createdInCommit = _createdNow;
            _createdNow = false; // if this transaction rolls back, so does the table: only Committed may trust it
        }
    }

    public void Committed()
    {
        _exists |= _createdInCommit;
        if (_sweptNow)
        {
            _nextSweep = Stopwatch.GetTimestamp() + (long)(Retention.TotalSeconds * Stopwatch.Frequency);
        }
    }

    /// <summary>The outcome recorded for any of <paramref name="sendings"/> (they are one write, sent more than once;
    /// a later sending answered from an earlier one's record carries the same outcome), or null: none was stored.</summary>
    public WriteOutcome? Find(SqliteSession session, IReadOnlyList<Sending> sendings)
    {
        if (!Exists(session))
        {
            return null;
        }

        var command = session.Command(FindSql, 2);
        foreach (var sending in sendings)
        {
            command.Parameters[0].Value = sending.Client;
            command.Parameters[1].Value = sending.Request;
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                return OutcomeRun.Read((byte[])reader.GetValue(1), reader.GetInt64(0), sending.Request);
            }
        }

        return null;
    }

    private void Insert(SqliteSession session, OutcomeRun run)
    {
        if (!_exists && !_createdNow)
        {
            session.Execute(CreateSql);
            _createdNow = true;
        }

        var command = session.Command(InsertSql, 5);
        command.Parameters[0].Value = run.Client;
        command.Parameters[1].Value = run.First;
        command.Parameters[2].Value = run.Last;
        command.Parameters[3].Value = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        command.Parameters[4].Value = run.ToArray();
        command.ExecuteNonQuery();
    }

    /// <summary>Deletes the records whose replies every client has received; <paramref name="final"/> also forgets
    /// the connections that ended.</summary>
    private void Prune(SqliteSession session, bool final)
    {
        HostConnection[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
            if (final)
            {
                _connections.RemoveAll(c => c.Ended);
            }
        }

        if (!_exists && !_createdNow)
        {
            return; // nothing recorded yet by this owner
        }

        var command = session.Command(PruneSql, 2);
        foreach (var connection in connections)
        {
            var delivered = connection.DeliveredThrough;
            // The final pass deletes whatever was delivered even if an earlier pass said it had: that pass's
            // transaction may have rolled back after it moved the mark (later passes cover it by "<=" anyway).
            if (delivered > connection.Outcomes.PrunedThrough || (final && delivered > 0))
            {
                command.Parameters[0].Value = connection.ClientId;
                command.Parameters[1].Value = delivered;
                command.ExecuteNonQuery();
                connection.Outcomes.PrunedThrough = delivered;
            }
        }
    }

    /// <summary>Deletes records older than <see cref="Retention"/>: their clients died (or their owner and they both
    /// did) without asking.</summary>
    private void Sweep(SqliteSession session)
    {
        _sweptNow = true;
        if (Exists(session))
        {
            var command = session.Command(SweepSql, 1);
            command.Parameters[0].Value = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - (long)Retention.TotalSeconds;
            command.ExecuteNonQuery();
        }
    }

    private bool Exists(SqliteSession session)
    {
        if (!_exists && !_createdNow)
        {
            var command = session.Command(ExistsSql, 0);
            _exists = (long)command.ExecuteScalar()! > 0;
        }

        return _exists || _createdNow;
    }

    /// <summary>A pruning pass queued as a write of its own (see <see cref="PruneNowAsync"/>).</summary>
    private sealed class PruneOperation(OutcomeLedger ledger) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), IWriteOperation
    {
        public bool TryStart() => true;

        public void Run(SqliteSession session) => ledger.Prune(session, final: true);

        public void Succeed() => TrySetResult();

        // A failed pass leaves records that the next pass, or the next owner's sweep, deletes.
        public bool Fail(Exception error) => TrySetResult();
    }
}

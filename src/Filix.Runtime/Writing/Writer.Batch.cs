using System.Diagnostics;
using System.Runtime.InteropServices;
using Filix.Runtime.Diagnostics;
using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Writing;

/// <summary>The writer thread: take a batch, commit it, acknowledge it; at the end drain and checkpoint.</summary>
internal sealed partial class Writer
{
    private readonly List<IWriteOperation> _done = [];
    private long _batches;

    /// <summary>Batches committed so far (tests).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Background checkpoint passes run so far (tests).</summary>
    public long CheckpointPasses => _checkpointer.Passes;

    /// <summary>The WAL's checkpointing (tests).</summary>
    internal Checkpointer Checkpointer => _checkpointer;

    private void Run()
    {
        var batch = new List<IWriteOperation>(_maxBatch);
        var reader = _queue.Reader;
        try
        {
            // Blocking on the queue is fine here: this thread exists to wait for writes.
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                // Take the lock first, then the batch: the writes that arrive while another process holds the
                // lock join this batch instead of waiting for the next handoff.
                AcquireLock();
                try
                {
                    while (batch.Count < _maxBatch && reader.TryRead(out var operation))
                    {
                        batch.Add(operation);
                    }

                    var next = 0;
                    while (next < batch.Count)
                    {
                        next = CommitFrom(batch, next);
                    }

                    // Every write of it has its outcome: should releasing the lock fail below, the crash handler
                    // must not fail them a second time.
                    batch.Clear();
                    CompleteCheckpointIfReady();
                }
                finally
                {
                    _lock?.Release();
                }
            }

            _checkpointer.Dispose();
            Checkpoint();
        }
        catch (Exception ex)
        {
            // Only a bug or a failing lock file (flock errors) gets here: every SQLite error is handled per batch.
            // Fail what is left rather than leave callers waiting forever.
            var error = new FilixException($"The writer of '{_path}' stopped unexpectedly: {ex.Message}. Writes not yet acknowledged were not stored.", _path, ex);
            _fault = error;
            _queue.Writer.TryComplete(error);
            FailAll(batch, error);
            while (reader.TryRead(out var operation))
            {
                Fail(operation, error);
            }
        }
        finally
        {
            WriterMetrics.Untrack(this);
            _checkpointer.Dispose();
            _lock?.Dispose();
            _fold?.Dispose();
            _transaction.Dispose();
            _session.Dispose();
            _stopped.TrySetResult();
        }
    }

    /// <summary>Between batches, with the lock held: lets the WAL restart once it has grown (see Checkpointer).</summary>
    private void CompleteCheckpointIfReady()
    {
        try
        {
            _checkpointer.CompleteIfReady(_session);
        }
        catch (SqliteException)
        {
            // Nothing is lost: the writes are committed in the WAL; a later pass completes the checkpoint.
        }
    }

    /// <summary>Takes the cross-process write lock, counting the wait when another process held it.</summary>
    private void AcquireLock()
    {
        var waited = _lock?.Acquire() ?? TimeSpan.Zero;
        if (waited > TimeSpan.Zero)
        {
            WriterMetrics.LockWaits.Add(1, MetricTags);
            WriterMetrics.LockWaitDuration.Record(waited.TotalMilliseconds, MetricTags);
        }
    }

    /// <summary>
    /// Runs <paramref name="batch"/> from <paramref name="start"/> in one transaction and acknowledges it.
    /// Returns where the next transaction must start: the end, unless an error aborted the transaction midway
    /// (then the operations after the culprit get a fresh transaction).
    /// </summary>
    private int CommitFrom(List<IWriteOperation> batch, int start)
    {
        var done = _done;
        done.Clear();
        var started = Stopwatch.GetTimestamp();
        try
        {
            _transaction.Begin();
        }
        catch (SqliteException ex)
        {
            FailAll(batch, SqliteErrors.Batch("Starting the write transaction", ex, _path), start);
            return batch.Count;
        }

        for (var i = start; i < batch.Count; i++)
        {
            var operation = batch[i];
            if (!operation.TryStart())
            {
                continue;
            }

            // Alone in its transaction, a local write needs no savepoint of its own (ISavepointFree).
            var error = start == batch.Count - 1 && operation is ISavepointFree
                ? RunAlone(operation)
                : RunInSavepoint(operation);
            if (InTransaction)
            {
                if (error is null)
                {
                    done.Add(operation);
                }

                continue;
            }

            // The error (disk full, I/O error, or a delegate's own COMMIT/ROLLBACK) ended the whole transaction:
            // the batch-mates before it are lost; those after it get a new transaction.
            FailAll(done, new FilixException(
                $"A write to '{_path}' was rolled back because another write in the same transaction ended it (see the inner exception). Nothing of this write was stored; retry it.",
                _path, error));
            return i + 1;
        }

        var participant = _participant;
        try
        {
            _fold?.BeforeCommit(_session);
            participant?.BeforeCommit(_session, CollectionsMarshal.AsSpan(batch)[start..]);
            _transaction.Commit();
        }
        catch (SqliteException ex)
        {
            RollbackQuietly();
            FailAll(done, SqliteErrors.Batch("Committing a batch of writes", ex, _path));
            return batch.Count;
        }

        participant?.Committed();
        Interlocked.Increment(ref _batches);
        _checkpointer.NoteCommit();
        WriterMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, MetricTags);
        WriterMetrics.BatchSize.Record(done.Count, MetricTags);
        WriterMetrics.Operations.Add(done.Count, MetricTags);

        // Acknowledge only now: the commit has returned, so every one of these writes is durable.
        foreach (var operation in done)
        {
            operation.Succeed();
        }

        return batch.Count;
    }

    /// <summary>Runs one operation in its own savepoint; on error undoes just that operation and fails its caller.</summary>
    /// <returns>The operation's error, or null when it succeeded.</returns>
    private Exception? RunInSavepoint(IWriteOperation operation)
    {
        _transaction.Savepoint();
        try
        {
            operation.Run(_session);
            _transaction.Release();
            return null;
        }
        catch (Exception ex)
        {
            UndoSavepoint();

            // Explained here rather than by an await in FilixDatabase.WriteAsync: that await would cost every
            // write a state machine and a continuation, to translate the few that fail.
            Fail(operation, Explain(ex));
            return ex;
        }
    }

    /// <summary>Runs the only operation of a transaction without a savepoint (see <see cref="ISavepointFree"/>); on
    /// error rolls the whole transaction back, which undoes exactly what the savepoint would have.</summary>
    private Exception? RunAlone(IWriteOperation operation)
    {
        try
        {
            operation.Run(_session);
        }
        catch (Exception ex)
        {
            var explained = Explain(ex);
            RollbackQuietly();
            Fail(operation, explained);
            return ex;
        }

        if (InTransaction)
        {
            return null;
        }

        // The delegate ended the transaction itself (ROLLBACK): nothing of it is stored.
        var ended = new InvalidOperationException(
            $"A write delegate ended the transaction on '{_path}' itself (COMMIT or ROLLBACK), so its batch was rolled back and nothing of it was stored. Write delegates must not run COMMIT, ROLLBACK or BEGIN: the writer owns the transaction.");
        Fail(operation, ended);
        return ended;
    }

    private Exception Explain(Exception ex) => ex switch
    {
        SqliteException { SqliteExtendedErrorCode: TransactionStatements.CommitRefused } or SqliteException { SqliteErrorCode: 1 } when !InTransaction =>
            new InvalidOperationException(
                $"A write delegate ended the transaction on '{_path}' itself (COMMIT or ROLLBACK), so its batch was rolled back and nothing of it was stored. Write delegates must not run COMMIT, ROLLBACK or BEGIN: the writer owns the transaction.",
                ex),
        SqliteException sqlite => SqliteErrors.Write(sqlite, _path),
        _ => ex,
    };

    private void UndoSavepoint()
    {
        if (!InTransaction)
        {
            return;
        }

        try
        {
            _transaction.RollbackToSavepoint();
            _transaction.Release();
        }
        catch (SqliteException)
        {
            // Cannot undo just this operation: give up the transaction; the caller treats it as ended.
            RollbackQuietly();
        }
    }

    private void Fail(IWriteOperation operation, Exception error)
    {
        if (operation.Fail(error))
        {
            WriterMetrics.Failures.Add(1, MetricTags);
        }
    }

    private bool InTransaction => _transaction.InTransaction;

    private void RollbackQuietly()
    {
        if (InTransaction)
        {
            try
            {
                _transaction.Rollback();
            }
            catch (SqliteException)
            {
                // The connection is unusable; the next BEGIN reports it to the callers of the next batch.
            }
        }
    }

    private void FailAll(List<IWriteOperation> operations, Exception error, int from = 0)
    {
        for (var i = from; i < operations.Count; i++)
        {
            Fail(operations[i], error);
        }
    }

    /// <summary>
    /// After the last batch: copy the WAL into the database file and truncate it, so a closed database is one
    /// self-contained file. Another process still reading may keep part of the WAL; that is not an error (no data
    /// is at risk, the next checkpoint finishes the job), so the wait for it is short.
    /// </summary>
    private void Checkpoint()
    {
        _lock?.Acquire();
        try
        {
            _session.Execute("PRAGMA busy_timeout = 1000");
            _session.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // Every acknowledged write is already durable in the WAL; a checkpoint that cannot finish loses nothing.
        }
        finally
        {
            _lock?.Release();
        }
    }
}

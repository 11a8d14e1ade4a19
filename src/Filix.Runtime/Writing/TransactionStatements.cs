using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Filix.Runtime.Writing;

/// <summary>
/// The writer's transaction-control statements (<c>BEGIN IMMEDIATE</c>, <c>COMMIT</c>, a savepoint per write),
/// prepared once and stepped through SQLite's C API directly.
/// </summary>
/// <remarks>
/// A savepoint and its release wrap every write, so they run as often as the writes themselves. Through
/// <see cref="SqliteCommand"/> each costs a data reader, parameter checks and timeout bookkeeping, which measured
/// as much as the INSERT it guards; a prepared <c>sqlite3_step</c> costs well under a microsecond.
/// </remarks>
internal sealed class TransactionStatements : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _savepoint;
    private readonly sqlite3_stmt _release;
    private readonly sqlite3_stmt _rollbackTo;
    private readonly sqlite3_stmt _rollback;
    private bool _committing;

    public TransactionStatements(SqliteConnection connection)
    {
        _db = connection.Handle!;
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _savepoint = Prepare("SAVEPOINT filix_op");
        _release = Prepare("RELEASE filix_op");
        _rollbackTo = Prepare("ROLLBACK TO filix_op");
        _rollback = Prepare("ROLLBACK");

        // Only the writer commits: a COMMIT run by a write delegate would make its batch-mates durable before their
        // turn, and the writer would then report them lost. Vetoed here, that COMMIT becomes a ROLLBACK instead, so
        // what the writer reports ("rolled back, nothing stored") stays true.
        raw.sqlite3_commit_hook(_db, static self => ((TransactionStatements)self)._committing ? 0 : 1, this);
    }

    /// <summary>The extended result code of a COMMIT the hook refused (<c>SQLITE_CONSTRAINT_COMMITHOOK</c>).</summary>
    public const int CommitRefused = 531;

    /// <summary>True while a transaction is open (SQLite ends it by itself on some errors: I/O, disk full).</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(_db) == 0;

    public void Begin() => Step(_begin);

    public void Commit()
    {
        _committing = true;
        try
        {
            Step(_commit);
        }
        finally
        {
            _committing = false;
        }
    }

    public void Rollback() => Step(_rollback);

    public void Savepoint() => Step(_savepoint);

    public void Release() => Step(_release);

    public void RollbackToSavepoint() => Step(_rollbackTo);

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return statement;
    }

    private void Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    public void Dispose()
    {
        raw.sqlite3_commit_hook(_db, null, null);
        foreach (var statement in new[] { _begin, _commit, _savepoint, _release, _rollbackTo, _rollback })
        {
            statement.Dispose();
        }
    }
}

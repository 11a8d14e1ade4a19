using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Filix.Runtime.Sync.Local;

/// <summary>
/// Folds the capture log (<see cref="CaptureSql.Fold"/>) at the end of a Filix writer's transaction, after every
/// write's savepoint is released and before <c>COMMIT</c>, once the log holds <see cref="Threshold"/> captures or
/// more. The fold trigger (every <see cref="CaptureSql.FoldEvery"/> captures) stays as the bound for every other
/// writer (a Python script); in Filix's own writer this step gets there first, so the trigger only fires for a
/// single transaction that captures more than half of <see cref="CaptureSql.FoldEvery"/> rows.
/// </summary>
/// <remarks>
/// <para>Why here and not in the trigger: a fold run by the trigger runs inside the write's savepoint (the writer
/// wraps each write in one) and inside the capturing statement's own statement journal, so SQLite first copies every
/// page of <c>_filix_rows</c> the fold touches (up to a thousand at random places of its key order) into the
/// sub-journal, in case that write has to be undone alone. Outside any savepoint the same fold writes the pages
/// straight away. Measured with <c>filix bench writers --workload events</c> and a Python emulation of the
/// writer (docs/benchmarks.md, "Capture on the write path"): the in-savepoint fold was most of capture's cost.</para>
/// <para>Nothing changes for correctness: the fold is the same statement the triggers and the sync run, inside the
/// same transaction as the captures it moves, and <c>_filix_rows</c> and the log together say the same before and
/// after it.</para>
/// <para>The check costs one prepared <c>sqlite3_step</c> per committed batch (the log's largest rowid: one seek;
/// rowids restart at 1 once a fold empties it). A database whose bookkeeping tables are missing (dropped by hand; the
/// next open re-installs them) is skipped rather than failing every batch.</para>
/// </remarks>
internal sealed class CommitFold : IDisposable
{
    /// <summary>Fold once the log holds this many captures: half the trigger's bound, so the trigger rarely fires in
    /// Filix's writer.</summary>
    public const int Threshold = CaptureSql.FoldEvery / 2;

    private const string CheckSql = "SELECT max(rowid) FROM \"" + CaptureSql.Log + "\"";

    private sqlite3_stmt? _check;

    /// <summary>The commit-time fold for a database of <paramref name="schema"/>, or null when it has no shared table.</summary>
    public static CommitFold? For(DatabaseSchema schema) => schema.SyncTables.Count > 0 ? new CommitFold() : null;

    /// <summary>On the writer thread, inside the transaction, with no savepoint open: folds when the log is long.</summary>
    /// <exception cref="SqliteException">The fold itself failed (an I/O error, a full disk): the batch fails, as its
    /// COMMIT would.</exception>
    public void BeforeCommit(SqliteSession session)
    {
        var db = session.Connection.Handle!;
        if (_check is null)
        {
            if (raw.sqlite3_prepare_v2(db, CheckSql, out var check) != raw.SQLITE_OK)
            {
                check.Dispose();
                return; // no _filix_log here (yet): nothing to fold
            }

            _check = check;
        }

        long last;
        var rc = raw.sqlite3_step(_check);
        try
        {
            if (rc != raw.SQLITE_ROW)
            {
                return; // the table went away after the statement was prepared: nothing to fold
            }

            last = raw.sqlite3_column_int64(_check, 0);
        }
        finally
        {
            raw.sqlite3_reset(_check);
        }

        if (last >= Threshold)
        {
            session.Execute(CaptureSql.Fold);
        }
    }

    public void Dispose() => _check?.Dispose();
}

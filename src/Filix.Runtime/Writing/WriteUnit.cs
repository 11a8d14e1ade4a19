using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Filix.Runtime.Writing;

/// <summary>
/// Statements written as one unit whose foreign keys are checked at its end, not at each statement: rows that
/// refer to each other (a cycle, or a chain written child first) can then be written at all. It runs like any
/// write, inside its own savepoint of a group-commit batch (or, alone in its transaction, in the transaction
/// itself: see <see cref="ISavepointFree"/>); within it <c>PRAGMA defer_foreign_keys</c> is on,
/// so SQLite counts the references still missing instead of failing the statement, and before the savepoint is
/// released that count (<c>SQLITE_DBSTATUS_DEFERRED_FKS</c>) must be zero. If it is not, the unit throws, the
/// writer rolls back to its savepoint and only this unit fails; the pragma is turned off again either way, so
/// the batch-mates after it keep their immediate checks.
/// </summary>
/// <remarks>The check cannot be left to COMMIT (where SQLite checks deferred keys by itself): a violation there
/// would fail the whole batch, every caller in it, instead of the one unit at fault.</remarks>
internal sealed class WriteUnit(FilixStatement[] statements, string path)
{
    private const string DeferOn = "PRAGMA defer_foreign_keys = ON";
    private const string DeferOff = "PRAGMA defer_foreign_keys = OFF";
    private const int Named = 5;

    /// <summary>Runs every statement; returns the rows each changed, in order.</summary>
    /// <exception cref="FilixException">The unit leaves rows referring to rows that do not exist.</exception>
    public int[] Execute(SqliteSession session)
    {
        // A batch-mate may have left a violation of a key declared DEFERRABLE (not Filix's own SQLite DDL, whose keys
        // are immediate). Turning the pragma off would clear it (SQLite 3.53 resets both deferred counts, so the
        // batch would commit a dangling row), and the count, a yes or no, could not tell this unit's references from
        // it. COMMIT will fail the whole batch for it anyway, so the unit then runs with the checks as they are.
        if (MissingReferences(session))
        {
            return Run(session);
        }

        Pragma(session, DeferOn);
        try
        {
            var changes = Run(session);
            if (MissingReferences(session))
            {
                throw Dangling(session);
            }

            return changes;
        }
        finally
        {
            // Turning it off also clears SQLite's count of violations deferred under it; the savepoint rollback
            // (on failure; or the transaction's rollback, alone in one) restores the count from before the unit, which was zero.
            TurnOff(session);
        }
    }

    private int[] Run(SqliteSession session)
    {
        var changes = new int[statements.Length];
        for (var i = 0; i < statements.Length; i++)
        {
            changes[i] = statements[i].Write.Execute(session);
        }

        return changes;
    }

    private static bool MissingReferences(SqliteSession session)
    {
        var rc = raw.sqlite3_db_status(session.Connection.Handle!, raw.SQLITE_DBSTATUS_DEFERRED_FKS, out var current, out _, 0);
        SqliteException.ThrowExceptionForRC(rc, session.Connection.Handle!);
        return current != 0;
    }

    /// <summary>Runs a pragma through <c>sqlite3_exec</c>, compiled each time: a flag pragma takes effect when it is
    /// compiled, so a cached prepared one would act only through SQLite's re-preparation.</summary>
    private static void Pragma(SqliteSession session, string sql)
    {
        var db = session.Connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(db, sql), db);
    }

    private static void TurnOff(SqliteSession session)
    {
        try
        {
            Pragma(session, DeferOff);
        }
        catch (SqliteException)
        {
            // The transaction already ended (an I/O error): the pragma resets with it, and the error that ended it
            // is the one the caller needs to see.
        }
    }

    /// <summary>Names the broken references, found with <c>pragma_foreign_key_check</c> over the unit's tables
    /// (a few, to keep the writer's pause short), and what to do.</summary>
    private FilixException Dangling(SqliteSession session)
    {
        var found = new List<string>();
        var more = 0;
        foreach (var table in statements.Select(s => s.Table).Distinct(StringComparer.Ordinal))
        {
            try
            {
                Describe(session, table, found, ref more);
            }
            catch (SqliteException)
            {
                // A statement made by hand may name no real table: the unit still fails, with what was found.
            }
        }

        var what = found.Count == 0
            ? "rows of other tables still refer to rows this unit deletes or re-keys"
            : string.Join("; ", found) + (more > 0 ? "; and more" : string.Empty);
        return new FilixException(
            $"A unit of {statements.Length} {(statements.Length == 1 ? "statement" : "statements")} written together to '{path}' (tables {string.Join(", ", statements.Select(s => $"'{s.Table}'").Distinct(StringComparer.Ordinal))}) " +
            $"would leave rows pointing at missing rows, so none of it was stored: {what}. " +
            "Add the missing rows to the same unit (or write them before it), or remove the references to them.",
            path);
    }

    /// <summary>Adds the broken references of <paramref name="table"/>'s rows to <paramref name="found"/>.</summary>
    private static void Describe(SqliteSession session, string table, List<string> found, ref int more)
    {
        var command = session.Command(
            "SELECT c.\"rowid\", c.\"parent\", group_concat(k.\"from\", ', '), group_concat(coalesce(k.\"to\", '(its primary key)'), ', ') " +
            "FROM pragma_foreign_key_check($p0) AS c JOIN pragma_foreign_key_list($p0) AS k ON k.\"id\" = c.\"fkid\" " +
            "GROUP BY c.\"rowid\", c.\"fkid\" LIMIT 6", // Named + 1: enough to say there are more
            1);
        command.Parameters[0].Value = table;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (found.Count == Named)
            {
                more++;
                continue;
            }

            var row = reader.IsDBNull(0) ? "a row" : $"the row with rowid {reader.GetInt64(0)}";
            found.Add($"{row} of '{table}' refers by ({reader.GetString(2)}) to '{reader.GetString(1)}' ({reader.GetString(3)}), which has no such row");
        }
    }
}

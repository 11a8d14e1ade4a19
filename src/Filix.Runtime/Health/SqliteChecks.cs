using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Filix.Runtime.Health;

/// <summary>The checks SQLite runs: <c>quick_check</c> after an unclean close, <c>integrity_check</c> and
/// <c>foreign_key_check</c> on demand, on a connection that cannot write the data (see <see cref="Open"/>).</summary>
internal static class SqliteChecks
{
    private const int MaxMessages = 10;

    public static DatabaseHealth RunQuickCheck(DatabaseHealth health)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // A hot rollback journal can only be rolled back by a read-write connection; that is SQLite's recovery,
            // not a change of the data.
            using var connection = Open(health.Path);
            var result = Pragma(connection, $"PRAGMA quick_check({MaxMessages})", CancellationToken.None);
            health = health with { QuickCheck = result };
            if (result != "ok")
            {
                health = health.With(new HealthProblem(
                    HealthProblemKind.QuickCheck, health.Path,
                    $"The database '{health.Path}' was not closed cleanly the last time it was used, and PRAGMA quick_check found damage: {result}.",
                    "Reads still work where the damage is not; restore the database from its last verified backup."));
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
        {
            // Another process holds the database exclusively (it is in use, so its last close is not in question):
            // opening goes on and meets that lock as any open would.
            health = health.WithNote($"PRAGMA quick_check could not run: another process holds '{health.Path}' locked ({ex.Message}).");
        }
        catch (SqliteException ex)
        {
            health = health.With(Unreadable(health.Path, ex));
        }

        return HealthCheck.Timed(health, started);
    }

    public static DatabaseHealth RunFull(DatabaseHealth health, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var connection = Open(health.Path);
            var integrity = Pragma(connection, $"PRAGMA integrity_check({MaxMessages})", cancellationToken);
            if (integrity != "ok")
            {
                health = health.With(new HealthProblem(
                    HealthProblemKind.IntegrityCheck, health.Path,
                    $"PRAGMA integrity_check found damage in '{health.Path}': {integrity}.",
                    "Reads still work where the damage is not; restore the database from its last verified backup."));
            }

            var keys = ForeignKeys(connection, cancellationToken);
            if (keys.Length > 0)
            {
                health = health.With(new HealthProblem(
                    HealthProblemKind.ForeignKeys, health.Path,
                    $"PRAGMA foreign_key_check found rows of '{health.Path}' that refer to missing rows: {keys}.",
                    "Delete or fix those rows (or insert the rows they refer to); if they came from damage, restore the database from its last verified backup."));
            }

            health = health with { IntegrityCheck = integrity == "ok" && keys.Length == 0 ? "ok" : integrity + (keys.Length > 0 ? "; foreign keys: " + keys : string.Empty) };
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == raw.SQLITE_INTERRUPT)
        {
            throw new OperationCanceledException($"The integrity check of '{health.Path}' was cancelled; nothing was changed.", ex, cancellationToken);
        }
        catch (SqliteException ex)
        {
            health = health.With(Unreadable(health.Path, ex));
        }

        return HealthCheck.Timed(health, started);
    }

    private static HealthProblem Unreadable(string path, SqliteException ex) => new(
        ex.SqliteErrorCode is raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB ? HealthProblemKind.QuickCheck : HealthProblemKind.Unreadable, path,
        $"SQLite cannot read '{path}': {ex.Message}.",
        ex.SqliteErrorCode is raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB
            ? "Restore the database from its last verified backup."
            : "Check that this user may read the file and its folder (SQLite also needs to create the -shm file beside a WAL database), then check again.");

    /// <summary>
    /// The connection a check runs on. When a WAL is there (left by a crash, or live in another process), a
    /// read-only connection (SQLITE_OPEN_READONLY): it never checkpoints the WAL into a file that may be damaged, and
    /// creates nothing but a missing -shm. When there is none, a read-only connection would create an empty -wal
    /// and -shm and, unable to delete them when it closes, leave them behind as a false unclean-close marker: a
    /// read-write connection with <c>query_only</c> is used instead, which deletes them when it is the last to
    /// close and, with nothing in its WAL, writes nothing. A hot rollback journal needs a read-write connection to
    /// be rolled back (SQLite's own recovery, not a change of the data).
    /// </summary>
    private static SqliteConnection Open(string path)
    {
        var readOnly = File.Exists(path + "-wal") && !File.Exists(path + "-journal");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA query_only = 1";
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs a checking pragma and joins its rows (<c>ok</c> alone when nothing is wrong).</summary>
    private static string Pragma(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var interrupt = cancellationToken.Register(static c => raw.sqlite3_interrupt(((SqliteConnection)c!).Handle), connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows.Count == 0 ? "ok" : string.Join("; ", rows);
    }

    private static string ForeignKeys(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var interrupt = cancellationToken.Register(static c => raw.sqlite3_interrupt(((SqliteConnection)c!).Handle), connection);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_key_check";
        command.CommandTimeout = 0;
        using var reader = command.ExecuteReader();
        var text = new StringBuilder();
        var count = 0;
        while (reader.Read())
        {
            if (count++ < MaxMessages)
            {
                text.Append(count > 1 ? "; " : string.Empty)
                    .Append(reader.GetString(0)).Append(" row ").Append(reader.IsDBNull(1) ? "?" : reader.GetValue(1)).Append(" -> ").Append(reader.GetString(2));
            }
        }

        return count > MaxMessages ? text.Append($" (and {count - MaxMessages} more)").ToString() : text.ToString();
    }
}

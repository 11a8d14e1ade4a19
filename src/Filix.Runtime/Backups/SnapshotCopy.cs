using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Filix.Runtime.Backups;

/// <summary>
/// Makes a consistent copy of a live database into a new file while writers keep writing.
/// <para>Backup API: the source connection opens a read transaction first and keeps it for every
/// <c>sqlite3_backup_step</c>. backup.html says a backup restarts when another connection writes the source between
/// steps; that is true when each step takes and drops its own read lock. Holding one read transaction across the
/// steps pins a WAL snapshot instead: writers append to the WAL unblocked, the copy never sees them and never
/// restarts, and the copy is exactly the database at the moment the transaction began. The cost is that a checkpoint
/// cannot reset the WAL past that snapshot while the copy runs, so the WAL grows by what writers write meanwhile.</para>
/// <para>VACUUM INTO: one statement inside one read transaction, the same snapshot guarantee; it rebuilds every
/// table and index (smaller output, its pages in b-tree order), and is cancelled by interrupting the statement.</para>
/// </summary>
internal static class SnapshotCopy
{
    /// <summary>Copies <paramref name="sourcePath"/> to the new file <paramref name="targetPath"/>; returns the
    /// time of the snapshot: every write committed before it is in the copy.</summary>
    public static DateTimeOffset Copy(string sourcePath, string targetPath, BackupOptions options, CancellationToken cancellationToken)
    {
        using var source = OpenSource(sourcePath, queryOnly: options.Method != BackupMethod.VacuumInto);

        // The time is read before the snapshot begins (to the millisecond, as the file name has it, rounded down),
        // so "committed before TakenAt" is always "in the backup".
        var now = options.Clock.GetUtcNow();
        var takenAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        if (options.Method == BackupMethod.VacuumInto)
        {
            // VACUUM INTO refuses to run inside a transaction: it is one, reading one snapshot from start to end.
            // It has no steps to cancel between, so cancellation interrupts the statement (sqlite3_interrupt).
            using var vacuum = source.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $target";
            vacuum.Parameters.AddWithValue("$target", targetPath);
            using (cancellationToken.Register(static state => raw.sqlite3_interrupt(((SqliteConnection)state!).Handle), source))
            {
                try
                {
                    vacuum.ExecuteNonQuery();
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == raw.SQLITE_INTERRUPT)
                {
                    throw new OperationCanceledException("The backup was cancelled.", ex, cancellationToken);
                }
            }

            return takenAt;
        }

        Execute(source, "BEGIN");
        try
        {
            // A deferred BEGIN takes no snapshot until the first read.
            Execute(source, "SELECT count(*) FROM sqlite_schema");
            StepCopy(source, targetPath, options, cancellationToken);
        }
        finally
        {
            Execute(source, "COMMIT");
        }

        return takenAt;
    }

    private static void StepCopy(SqliteConnection source, string targetPath, BackupOptions options, CancellationToken cancellationToken)
    {
        using var target = Open(targetPath, SqliteOpenMode.ReadWriteCreate);
        Execute(target, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF");
        var backup = raw.sqlite3_backup_init(target.Handle, "main", source.Handle, "main");
        if (backup is null)
        {
            throw Failure(targetPath, raw.sqlite3_errmsg(target.Handle).utf8_to_string());
        }

        var rc = raw.SQLITE_OK;
        try
        {
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                rc = raw.sqlite3_backup_step(backup, Math.Max(1, options.PagesPerStep));
                if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
                {
                    // Only the target can be busy (nothing else opens it): wait a moment and go on.
                    Thread.Sleep(10);
                    continue;
                }

                if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE)
                {
                    break;
                }

                if (rc == raw.SQLITE_OK && options.PauseBetweenSteps > TimeSpan.Zero)
                {
                    Thread.Sleep(options.PauseBetweenSteps);
                }
            }
            while (rc != raw.SQLITE_DONE);
        }
        finally
        {
            var finish = raw.sqlite3_backup_finish(backup);
            rc = rc == raw.SQLITE_DONE ? finish : rc;
        }

        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE)
        {
            throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errstr(rc).utf8_to_string()}' while copying pages into '{targetPath}'.", rc);
        }
    }

    /// <summary>
    /// The source, read-write with <c>query_only</c> when the file allows it: a read-only connection that is the last
    /// to close a WAL database cannot checkpoint and delete its <c>-wal</c> and <c>-shm</c>, and a <c>-wal</c> nobody
    /// holds is what the health check on open takes for an unclean close (docs/reliability/health.md).
    /// <c>VACUUM INTO</c> is refused under <c>query_only</c> (it writes, if only another file); it never writes the source.
    /// </summary>
    private static SqliteConnection OpenSource(string path, bool queryOnly)
    {
        SqliteConnection? connection = null;
        try
        {
            connection = Open(path, SqliteOpenMode.ReadWrite);
            if (queryOnly)
            {
                Execute(connection, "PRAGMA query_only = 1");
            }

            return connection;
        }
        catch (SqliteException)
        {
            // A read-only file or folder: a read-only connection still copies it.
            connection?.Dispose();
            return Open(path, SqliteOpenMode.ReadOnly);
        }
    }

    /// <summary>A plain connection outside Filix's pool and policy: a backup neither writes the source nor needs
    /// its pragmas, and must not count as one of the database's own connections.</summary>
    internal static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 30000");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static FilixException Failure(string path, string reason) =>
        new($"Cannot start a backup into '{path}': SQLite says \"{reason}\". Check that the backups folder is writable.", path);
}

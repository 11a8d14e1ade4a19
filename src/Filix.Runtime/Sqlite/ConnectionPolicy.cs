using System.Globalization;
using Filix.Runtime.FileSystems;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sqlite;

/// <summary>
/// The one place that decides how a connection to a Filix database is opened and configured.
/// <list type="bullet">
/// <item><c>journal_mode=WAL</c> (<see cref="UseWal"/>): readers never block the writer or each other; persistent in the file.</item>
/// <item><c>synchronous</c>: NORMAL or FULL, see <see cref="FilixOptions.Synchronous"/>.</item>
/// <item><c>foreign_keys=ON</c>: SQLite leaves them off per connection unless asked.</item>
/// <item><c>busy_timeout</c>: another process's lock is waited for, not reported as "database is locked".</item>
/// <item><c>temp_store=MEMORY</c>: a statement on a table with triggers (sync's capture) keeps a statement journal,
/// which SQLite otherwise spills to a temp file past 64 KiB; in memory, an insert through a capture trigger costs
/// about what one without it does (measured: 20k vs 33k upserts/s on file, 32k vs 33k in memory).</item>
/// <item>Readers are <c>query_only</c>, so a read path can never write by mistake.</item>
/// <item>A connection that may write is opened only on a file system where WAL is safe, or, with
/// <see cref="FilixOptions.UnsafeFileSystem"/>, with <c>locking_mode=EXCLUSIVE</c> set before it first touches the file
/// (<see cref="FileSystemGuard"/>): a WAL file is then read without the shared-memory <c>-shm</c>.</item>
/// </list>
/// Microsoft.Data.Sqlite's own pool is off: a <see cref="FilixDatabase"/> keeps its connections open for its lifetime.
/// </summary>
internal static class ConnectionPolicy
{
    // fileReadOnly: SQLITE_OPEN_READONLY, the connection cannot write the file at all (a database whose health
    // check failed; see FilixDatabase.IsReadOnly).
    public static SqliteConnection Open(string path, FilixOptions options, bool readOnly, bool create, bool fileReadOnly = false)
    {
        // Before SQLite creates or touches anything: a refusal leaves the folder as it was.
        var exclusive = !readOnly && FileSystemGuard.Admit(path, options).ExclusiveRollbackJournal;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = fileReadOnly ? SqliteOpenMode.ReadOnly : create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Apply(connection, options, readOnly, exclusive, fileReadOnly);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Apply(SqliteConnection connection, FilixOptions options, bool readOnly, bool exclusive, bool fileReadOnly)
    {
        var busyMs = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var synchronous = options.Synchronous == SynchronousMode.Full ? "FULL" : "NORMAL";
        using var command = connection.CreateCommand();
        command.CommandText =
            (exclusive ? "PRAGMA locking_mode = EXCLUSIVE; " : string.Empty) +
            // A truncated file (its header counts more pages than it has) is refused whole by SQLite unless
            // writable_schema is on; a connection that cannot write the file reads what is left with it. First:
            // PRAGMA synchronous loads the schema.
            (fileReadOnly ? "PRAGMA writable_schema = ON; " : string.Empty) +
            $"PRAGMA busy_timeout = {busyMs}; PRAGMA foreign_keys = ON; PRAGMA synchronous = {synchronous}; PRAGMA temp_store = MEMORY;" +
            (readOnly ? " PRAGMA query_only = 1;" : string.Empty);
        command.ExecuteNonQuery();
    }

    /// <summary>Puts the writer's file in the journal mode <paramref name="admission"/> chose: WAL (<see cref="UseWal"/>),
    /// or on an unsafe file system with the override, the rollback journal (<see cref="UseRollbackJournal"/>).</summary>
    public static void UseJournal(SqliteConnection connection, FileSystemGuard.Admission admission)
    {
        if (admission.ExclusiveRollbackJournal)
        {
            UseRollbackJournal(connection, admission.FileSystem);
        }
        else
        {
            UseWal(connection);
        }
    }

    /// <summary>
    /// Switches the writer's file to <c>journal_mode=DELETE</c> (checkpointing and removing a WAL it had). Its
    /// connection holds the file exclusively (<c>locking_mode=EXCLUSIVE</c>, set when it was opened), so the switch
    /// needs no other process to let go, and no <c>-shm</c> is ever mapped on the network file system.
    /// </summary>
    public static void UseRollbackJournal(SqliteConnection connection, FileSystems.MountedFileSystem fileSystem)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = DELETE";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase))
        {
            throw new FilixException(
                $"Could not switch '{connection.DataSource}' (on {fileSystem.Describe()}) to the rollback journal that UnsafeFileSystemMode.ExclusiveRollbackJournal needs: it reports journal_mode '{mode}'. " +
                "Another process probably has the database open: close it everywhere and open it again from this one process only.",
                connection.DataSource);
        }
    }

    /// <summary>
    /// Switches the writer's file to WAL (persistent in the file, so readers and other processes follow). Called
    /// only after <see cref="Migrations.SqliteMigrator"/> has established the file is this domain's Filix database: the
    /// switch rewrites the file header, and a file Filix did not create must be left byte for byte as it was.
    /// </summary>
    public static void UseWal(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new FilixException(
                $"Could not switch '{connection.DataSource}' to WAL journal mode (it reports '{mode}'). " +
                "WAL needs a local file system that supports shared memory: do not keep Filix databases on SMB/NFS mounts.",
                connection.DataSource);
        }
    }
}

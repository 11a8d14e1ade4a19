using System.Runtime.CompilerServices;
using Filix.Runtime.FileSystems;
using Filix.Runtime.Health;
using Filix.Runtime.Migrations;
using Filix.Runtime.Sharing;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Writing;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Filix.Runtime;

/// <summary>
/// One open domain database: a writer connection and a pool of read connections on a SQLite file in WAL mode.
/// Generated database types wrap it; their repositories run their statements through
/// <see cref="ReadAsync{TState, TResult}"/>, <see cref="QueryAsync{TState, T}"/> and <see cref="WriteAsync{TState, TResult}"/>.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite executes synchronously even from its async methods, so reads run inline on the caller's
/// thread (a keyed read takes microseconds; a thread hop would cost more than the read) and return completed
/// <see cref="ValueTask"/>s. Only waiting for a free connection or for the writer is truly asynchronous.
/// </remarks>
public sealed partial class FilixDatabase : IAsyncDisposable, IDisposable
{
    private readonly ReaderPool _readers;
    private readonly Writer? _writer;
    private readonly SharedWriter? _shared;
    private Task? _disposing;

    private FilixDatabase(string path, DatabaseSchema schema, FilixOptions options, MigrationReport migrations, ReaderPool readers, Writer? writer, SharedWriter? shared, DatabaseHealth health)
    {
        _shared = shared;
        Path = path;
        Schema = schema;
        Options = options;
        Migrations = migrations;
        _readers = readers;
        _writer = writer;
        Health = health;
    }

    public string Path { get; }

    public DatabaseSchema Schema { get; }

    public FilixOptions Options { get; }

    /// <summary>
    /// What opening the database found and did: the history it had (<see cref="MigrationReport.Applied"/>), the
    /// migrations this open applied (<see cref="MigrationReport.Pending"/>; all of them for a new file) and those it
    /// recorded for a database made before Filix kept a history (<see cref="MigrationReport.Adopted"/>). Both empty:
    /// the file was already at this build's schema.
    /// </summary>
    public MigrationReport Migrations { get; }

    /// <summary>
    /// What the health check found when the database was opened (docs/reliability/health.md): the header, the WAL and
    /// its side files on every open, and <c>PRAGMA quick_check</c> when the last close was not clean.
    /// </summary>
    public DatabaseHealth Health { get; }

    /// <summary>
    /// True when the health check found a problem: the database is open for reading only (reads work where SQLite
    /// can read), nothing was migrated, and every write fails with a <see cref="FilixException"/> that names the
    /// problem, the last verified backup and the command that restores it.
    /// </summary>
    public bool IsReadOnly => _writer is null;

    /// <summary>The group-commit writer (tests look at its queue).</summary>
    /// <exception cref="FilixException">The database is read-only (<see cref="IsReadOnly"/>).</exception>
    internal Writer Writer => _writer ?? throw ReadOnlyRefusal();

    /// <summary>Why nothing can be written: the one message every write path of a read-only database gets.</summary>
    private FilixException ReadOnlyRefusal() =>
        HealthCheck.Refusal(Health, $"Cannot write to '{Path}': it was opened read-only because its health check failed, and nothing was written.");

    /// <summary>
    /// Why this process, owning the database's shared writer, cannot serve the other processes (for example: the
    /// socket beside the database cannot be created), with the path at fault; null when sharing works or is off.
    /// Nothing is lost either way: every process then writes through its own writer, as with
    /// <see cref="FilixOptions.ShareWriter"/> off.
    /// </summary>
    public string? SharingProblem => _shared?.HostError;

    /// <summary>True when the writer's connection holds the file alone (<see cref="UnsafeFileSystemMode.ExclusiveRollbackJournal"/>
    /// on an unsafe file system), so reads run on it too (<see cref="ExclusiveFileReads"/>).</summary>
    internal bool ReadsOnWriter { get; private init; }

    /// <summary>This process's part in the machine's shared writer; null when not shared.</summary>
    internal SharedWriter? Shared => _shared;

    /// <summary>Opens (and on first use creates) the database at <paramref name="path"/> for <paramref name="schema"/>.</summary>
    /// <exception cref="FilixException">The file cannot be opened, is not a SQLite database, or holds another domain or schema.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the database
    /// was open; a migration it interrupted was rolled back.</exception>
    public static Task<FilixDatabase> OpenAsync(string path, DatabaseSchema schema, FilixOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        cancellationToken.ThrowIfCancellationRequested();
        options ??= FilixOptions.Default;
        var fullPath = System.IO.Path.GetFullPath(path);

        // Off the caller's thread: opening may migrate, which for a large table takes seconds of synchronous SQLite.
        return Task.Run(() => Open(fullPath, schema, options, cancellationToken), cancellationToken);
    }

    private static FilixDatabase Open(string path, DatabaseSchema schema, FilixOptions options, CancellationToken cancellationToken)
    {
        // Options first: a bad setting must not leave a new, half-configured file behind.
        Validate(options, path);
        DatabaseFile.Check(path, schema.FileName, options.CreateIfMissing);
        var fileSystem = FileSystemGuard.Admit(path, options); // refuses a network file system, or applies the override
        options = fileSystem.Apply(options);

        // Health before SQLite opens anything (it reads the files directly, see OpenFiles): a damaged file is
        // opened read-only and never migrated, one SQLite cannot read at all is refused.
        var health = OpenFiles.Claim(path, () => HealthCheck.OnOpen(path));
        try
        {
            if (health.Problems.Any(p => p.Unreadable))
            {
                throw HealthCheck.Refusal(health, $"Filix cannot open '{path}', not even to read it.");
            }

            return health.IsHealthy ? OpenWritable(path, schema, options, fileSystem, health, cancellationToken) : OpenReadOnly(path, schema, options, health);
        }
        catch
        {
            OpenFiles.Release(path);
            throw;
        }
    }

    private static FilixDatabase OpenWritable(string path, DatabaseSchema schema, FilixOptions options, FileSystemGuard.Admission fileSystem, DatabaseHealth health, CancellationToken cancellationToken)
    {
        SqliteSession? writerSession = null;
        Writer? writer = null;
        try
        {
            writerSession = new SqliteSession(ConnectionPolicy.Open(path, options, readOnly: false, create: true));
            var migrations = Migrate(writerSession, schema, path, cancellationToken);
            ConnectionPolicy.UseJournal(writerSession.Connection, fileSystem);
            writer = new Writer(writerSession, path, schema.Domain, options);
            writerSession = null; // the writer owns it now
            var shared = SharedWriter.Start(writer, path, options);
            return new FilixDatabase(path, schema, options, migrations, new ReaderPool(path, options), writer, shared, health)
            {
                ReadsOnWriter = fileSystem.ExclusiveRollbackJournal,
            };
        }
        catch (SqliteException ex)
        {
            Abandon(writerSession, writer);
            throw SqliteErrors.Open(ex, path);
        }
        catch
        {
            Abandon(writerSession, writer);
            throw;
        }
    }

    /// <summary>
    /// A database whose health check failed: connections that cannot write the file (SQLITE_OPEN_READONLY: they do
    /// not checkpoint or delete its WAL either, so the damaged file stays as it was for the restore to set aside),
    /// no writer, no migration. The schema is still checked to be this domain's (a dry run of the migrator).
    /// </summary>
    private static FilixDatabase OpenReadOnly(string path, DatabaseSchema schema, FilixOptions options, DatabaseHealth health)
    {
        try
        {
            using var session = new SqliteSession(ConnectionPolicy.Open(path, options, readOnly: true, create: false, fileReadOnly: true));
            var migrations = SqliteMigrator.Ensure(session, schema, path, dryRun: true);
            return new FilixDatabase(path, schema, options, migrations, new ReaderPool(path, options, fileReadOnly: true), null, null, health);
        }
        catch (SqliteException ex)
        {
            throw HealthCheck.Refusal(health, $"Filix cannot open '{path}', not even to read it: SQLite cannot read its schema ({ex.Message}).");
        }
    }

    /// <summary>Brings the file to <paramref name="schema"/>; cancelling stops SQLite mid-statement, and the migration
    /// rolls back.</summary>
    private static MigrationReport Migrate(SqliteSession session, DatabaseSchema schema, string path, CancellationToken cancellationToken)
    {
        // A progress handler rather than sqlite3_interrupt from a token callback: it asks the token every
        // 1,000 VM steps, so a cancellation between two statements is not lost. Removed before the writer owns the
        // connection, so it never costs a write anything.
        var db = session.Connection.Handle!;
        if (cancellationToken.CanBeCanceled)
        {
            raw.sqlite3_progress_handler(db, 1000, static token => ((CancellationToken)token).IsCancellationRequested ? 1 : 0, cancellationToken);
        }

        try
        {
            return SqliteMigrator.Ensure(session, schema, path);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && IsInterrupt(ex))
        {
            throw new OperationCanceledException(
                $"Opening '{path}' was cancelled while it migrated the database: the migration was rolled back and the file is as it was. Open it again to migrate.",
                ex,
                cancellationToken);
        }
        finally
        {
            raw.sqlite3_progress_handler(db, 0, null, null);
        }

        static bool IsInterrupt(Exception ex) =>
            ex is SqliteException { SqliteErrorCode: raw.SQLITE_INTERRUPT } || ex.InnerException is SqliteException { SqliteErrorCode: raw.SQLITE_INTERRUPT };
    }

    /// <summary>A failed open closes what it opened: no writer thread or file descriptor outlives it.</summary>
    private static void Abandon(SqliteSession? session, Writer? writer)
    {
        session?.Dispose();
        writer?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static void Validate(FilixOptions options, string path)
    {
        static string? Problem(FilixOptions o) =>
            o.WriteQueueCapacity < 1 ? $"WriteQueueCapacity is {o.WriteQueueCapacity}; it must be at least 1"
            : o.MaxBatchSize < 1 ? $"MaxBatchSize is {o.MaxBatchSize}; it must be at least 1"
            : o.MaxReaders < 1 ? $"MaxReaders is {o.MaxReaders}; it must be at least 1"
            : o.BusyTimeout < TimeSpan.Zero || o.BusyTimeout.TotalMilliseconds > int.MaxValue
                ? $"BusyTimeout is {o.BusyTimeout}; it must be between zero and {TimeSpan.FromMilliseconds(int.MaxValue)} (SQLite's busy_timeout is in milliseconds; an infinite wait is not available)"
            : null;

        if (Problem(options) is { } problem)
        {
            throw new FilixException($"Invalid FilixOptions for '{path}': {problem}. Nothing was opened or created.", path);
        }
    }

    /// <summary>Runs a read on a pooled read connection (on the writer's one connection when the unsafe-file-system
    /// override holds the file exclusively: ReadsOnWriter is set only with a writer).</summary>
    public ValueTask<TResult> ReadAsync<TState, TResult>(Func<SqliteSession, TState, TResult> read, TState state, CancellationToken cancellationToken = default)
    {
        if (ReadsOnWriter)
        {
            return ExclusiveFileReads.ReadAsync(_writer!, read, state, cancellationToken);
        }

        var rent = _readers.RentAsync(cancellationToken);
        if (!rent.IsCompletedSuccessfully)
        {
            return ReadSlowAsync(rent, read, state);
        }

        var session = rent.Result;
        try
        {
            return new ValueTask<TResult>(read(session, state));
        }
        finally
        {
            _readers.Return(session);
        }
    }

    private async ValueTask<TResult> ReadSlowAsync<TState, TResult>(ValueTask<SqliteSession> rent, Func<SqliteSession, TState, TResult> read, TState state)
    {
        var session = await rent.ConfigureAwait(false);
        try
        {
            return read(session, state);
        }
        finally
        {
            _readers.Return(session);
        }
    }

    /// <summary>Streams the rows of <paramref name="sql"/> (with positional parameters bound by <paramref name="bind"/>),
    /// holding one read connection until the enumeration ends.</summary>
    public async IAsyncEnumerable<T> QueryAsync<TState, T>(
        string sql,
        int parameterCount,
        Action<SqliteCommand, TState> bind,
        TState state,
        Func<SqliteDataReader, T> map,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (ReadsOnWriter)
        {
            foreach (var row in await ExclusiveFileReads.QueryAsync(_writer!, sql, parameterCount, bind, state, map, cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return row;
            }

            yield break;
        }

        var session = await _readers.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var command = session.Command(sql, parameterCount);
            bind(command, state);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return map(reader);
            }
        }
        finally
        {
            _readers.Return(session);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> on the write connection. Writes from every thread are queued to one writer
    /// thread that commits them in batches (group commit), each in its own savepoint: the task completes when the
    /// batch holding this write has committed (durable per <see cref="FilixOptions.Synchronous"/>; visible to every
    /// later read of any connection), or fails, having stored nothing, when this write throws or the commit fails.
    /// A write cancelled while still queued is not run. When the queue is full the call waits for room.
    /// </summary>
    /// <exception cref="FilixException">The write failed (a constraint, a lock timeout, a full disk); the message names
    /// the file and the table or constraint, and the <see cref="SqliteException"/> is its inner exception.</exception>
    /// <remarks>The delegate runs on the writer thread inside a transaction it must not end, and should be short:
    /// the next batch waits for it.</remarks>
    public Task<TResult> WriteAsync<TState, TResult>(Func<SqliteSession, TState, TResult> write, TState state, CancellationToken cancellationToken = default) =>
        // The writer explains a delegate's SqliteException itself (SqliteErrors.Write), so the task goes back as is.
        _writer is null ? Task.FromException<TResult>(ReadOnlyRefusal())
        : _disposing is null ? _writer.ExecuteAsync(write, state, cancellationToken) : Task.FromException<TResult>(_writer.Closed());

    /// <summary>
    /// Runs <paramref name="sql"/> once per row of <paramref name="values"/> (<paramref name="parameterCount"/> values a
    /// row, bound to <c>$p0</c>..) as one write: all rows are stored, or none. The write is data, not code, so when
    /// another process on this machine owns the database's writer it is sent there and committed in that process's
    /// batches (see docs/concurrency.md); otherwise it joins this process's writer. Acknowledged, failed and
    /// cancelled exactly as <see cref="WriteAsync{TState, TResult}"/>. Generated repositories write this way.
    /// </summary>
    /// <param name="sql">One statement with positional parameters <c>$p0</c>.. (<see cref="SqliteSession.Command"/>).</param>
    /// <param name="parameterCount">Parameters per row; 0 runs <paramref name="sql"/> once with no values.</param>
    /// <param name="values">Stored forms only (<see cref="Sqlite.SqliteValues"/>): null, <see cref="long"/>,
    /// <see cref="double"/>, <see cref="string"/> or <see cref="byte"/>[].</param>
    /// <param name="cancellationToken">Cancels the write while it is still queued.</param>
    /// <returns>The number of rows the statement changed, summed over the rows.</returns>
    public Task<int> ExecuteAsync(string sql, int parameterCount, object?[] values, CancellationToken cancellationToken = default)
    {
        StatementWrite.Validate(sql, parameterCount, values);
        if (_writer is null)
        {
            return Task.FromException<int>(ReadOnlyRefusal());
        }

        if (_disposing is not null)
        {
            return Task.FromException<int>(_writer.Closed());
        }

        if (parameterCount > 0 && values.Length == 0)
        {
            return Task.FromResult(0);
        }

        var write = new StatementWrite(sql, parameterCount, values);
        return _shared is not null
            ? _shared.ExecuteAsync(write, cancellationToken)
            : _writer.ExecuteAsync(static (session, write) => write.Execute(session), write, cancellationToken);
    }

    /// <summary>Closes the database, blocking until the writes already queued have committed and the WAL is checkpointed.
    /// Prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Closes the database: new writes are refused, every write already queued is committed and acknowledged,
    /// the WAL is checkpointed into the database file (<c>wal_checkpoint(TRUNCATE)</c>) and the connections close.
    /// Nothing acknowledged or queued is lost. Safe to call more than once.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (_writer?.IsWriterThread == true)
        {
            // Refused before anything changes: the database stays open and usable.
            throw new InvalidOperationException($"The database '{Path}' cannot be disposed from inside one of its write delegates.");
        }

        // Once: a signal handler and the program may both close the database. New writes are refused from here on,
        // while the shared writer still takes the last writes other processes sent before they heard of the close.
        var disposing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Interlocked.CompareExchange(ref _disposing, disposing.Task, null);
        if (first is not null)
        {
            return new ValueTask(first);
        }

        _ = CloseAsync(disposing);
        return new ValueTask(disposing.Task);
    }

    /// <summary>Each step runs even when one before it failed, so a failure never leaves a thread or a file open;
    /// the first failure is reported.</summary>
    private async Task CloseAsync(TaskCompletionSource done)
    {
        Exception? failure = null;
        foreach (var step in CloseSteps())
        {
            try
            {
                await step().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
        }

        if (failure is null)
        {
            done.TrySetResult();
        }
        else
        {
            done.TrySetException(failure);
        }
    }

    private IEnumerable<Func<Task>> CloseSteps()
    {
        if (_shared is not null)
        {
            yield return _shared.StopAsync; // clients deliver their last writes; the owner queues them
        }

        if (_writer is not null)
        {
            yield return () => _writer.DisposeAsync().AsTask(); // drain, commit, checkpoint
        }

        if (_shared is not null)
        {
            yield return _shared.FinishAsync; // answer the clients, hand the writer over
        }

        yield return () =>
        {
            _readers.Dispose();
            return Task.CompletedTask;
        };

        // Last: this process's connections to the file are closed, so the next open may read its files again.
        yield return () =>
        {
            OpenFiles.Release(Path);
            return Task.CompletedTask;
        };
    }
}

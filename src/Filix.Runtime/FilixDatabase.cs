using System.Runtime.CompilerServices;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Writing;
using Microsoft.Data.Sqlite;

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
public sealed class FilixDatabase : IAsyncDisposable, IDisposable
{
    private readonly ReaderPool _readers;
    private readonly Writer _writer;

    private FilixDatabase(string path, DatabaseSchema schema, FilixOptions options, ReaderPool readers, Writer writer)
    {
        Path = path;
        Schema = schema;
        Options = options;
        _readers = readers;
        _writer = writer;
    }

    public string Path { get; }

    public DatabaseSchema Schema { get; }

    public FilixOptions Options { get; }

    /// <summary>Opens (and on first use creates) the database at <paramref name="path"/> for <paramref name="schema"/>.</summary>
    /// <exception cref="FilixException">The file cannot be opened, is not a SQLite database, or holds another domain or schema.</exception>
    public static Task<FilixDatabase> OpenAsync(string path, DatabaseSchema schema, FilixOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        cancellationToken.ThrowIfCancellationRequested();
        options ??= FilixOptions.Default;
        var fullPath = System.IO.Path.GetFullPath(path);
        return Task.FromResult(Open(fullPath, schema, options));
    }

    private static FilixDatabase Open(string path, DatabaseSchema schema, FilixOptions options)
    {
        if (Directory.Exists(path))
        {
            throw new FilixException($"'{path}' is a folder, not a database file. Give the path of a .db file (for example {System.IO.Path.Combine(path, schema.FileName)}).", path);
        }

        var exists = File.Exists(path);
        if (!exists && !options.CreateIfMissing)
        {
            throw new FilixException($"The database '{path}' does not exist, and creating it was not allowed (CreateIfMissing = false). Check the path or the --data folder.", path);
        }

        var folder = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            throw new FilixException($"Cannot create '{path}': the folder '{folder}' does not exist. Create it first, or choose another --data folder.", path);
        }

        SqliteSession? writerSession = null;
        try
        {
            writerSession = new SqliteSession(ConnectionPolicy.Open(path, options, readOnly: false, create: true));
            Migrations.SqliteMigrator.Ensure(writerSession, schema, path);
            return new FilixDatabase(path, schema, options, new ReaderPool(path, options), new Writer(writerSession));
        }
        catch (SqliteException ex)
        {
            writerSession?.Dispose();
            throw Explain(ex, path);
        }
        catch
        {
            writerSession?.Dispose();
            throw;
        }
    }

    private static FilixException Explain(SqliteException ex, string path) => ex.SqliteErrorCode switch
    {
        26 => new FilixException($"'{path}' is not a SQLite database (or it is encrypted or badly damaged). Nothing was written to it. Check the path; if it is a damaged Filix database, restore it from a backup.", path, ex),
        11 => new FilixException($"'{path}' is corrupt (SQLite: {ex.Message}). Nothing was written to it. Restore it from a backup.", path, ex),
        14 => new FilixException($"Cannot open '{path}': {ex.Message}. Check that the folder exists and this user may read and write it.", path, ex),
        8 or 23 => new FilixException($"Cannot write to '{path}': permission denied or read-only file system ({ex.Message}). Check the file's permissions.", path, ex),
        _ => new FilixException($"Opening '{path}' failed: {ex.Message} (SQLite error {ex.SqliteErrorCode}).", path, ex),
    };

    /// <summary>Runs a read on a pooled read connection.</summary>
    public ValueTask<TResult> ReadAsync<TState, TResult>(Func<SqliteSession, TState, TResult> read, TState state, CancellationToken cancellationToken = default)
    {
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

    /// <summary>Runs <paramref name="write"/> on the write connection inside a transaction; the task completes
    /// when the transaction has committed (or fails, having changed nothing).</summary>
    public Task<TResult> WriteAsync<TState, TResult>(Func<SqliteSession, TState, TResult> write, TState state, CancellationToken cancellationToken = default) =>
        _writer.ExecuteAsync(write, state, cancellationToken);

    public void Dispose()
    {
        _writer.Dispose();
        _readers.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}

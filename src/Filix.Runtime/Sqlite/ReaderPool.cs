using System.Collections.Concurrent;

namespace Filix.Runtime.Sqlite;

/// <summary>
/// Read connections, opened on demand up to <see cref="FilixOptions.MaxReaders"/> and kept for reuse. In WAL mode
/// each read sees the last committed state at its start, including this process's acknowledged writes.
/// </summary>
internal sealed class ReaderPool : IDisposable
{
    private readonly string _path;
    private readonly FilixOptions _options;
    private readonly ConcurrentBag<SqliteSession> _idle = new();
    private readonly SemaphoreSlim _slots;
    private readonly bool _fileReadOnly;
    private volatile bool _disposed;

    public ReaderPool(string path, FilixOptions options, bool fileReadOnly = false)
    {
        _path = path;
        _options = options;
        _fileReadOnly = fileReadOnly;
        _slots = new SemaphoreSlim(options.MaxReaders, options.MaxReaders);
    }

    /// <summary>Takes a session synchronously when one is free (the common case), else waits for one.</summary>
    public ValueTask<SqliteSession> RentAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            throw new FilixException($"The database '{_path}' is closed: it cannot be read any more. Open it again to read it.", _path);
        }

        return _slots.Wait(0, CancellationToken.None)
            ? new ValueTask<SqliteSession>(Take())
            : WaitAndTakeAsync(cancellationToken);
    }

    private async ValueTask<SqliteSession> WaitAndTakeAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Take();
    }

    private SqliteSession Take()
    {
        try
        {
            return _idle.TryTake(out var session)
                ? session
                : new SqliteSession(ConnectionPolicy.Open(_path, _options, readOnly: true, create: false, _fileReadOnly));
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            _slots.Release();
            throw SqliteErrors.Open(ex, _path);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    public void Return(SqliteSession session)
    {
        if (_disposed)
        {
            session.Dispose();
        }
        else
        {
            _idle.Add(session);
            if (_disposed)
            {
                Drain(); // Dispose ran between the check and the Add: close what it could not see
            }
        }

        _slots.Release();
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }
}

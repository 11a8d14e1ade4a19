using Filix.Runtime.Sqlite;

namespace Filix.Runtime.Writing;

/// <summary>
/// The single writer of one database in this process: every write runs on the write connection inside a
/// <c>BEGIN IMMEDIATE</c> transaction, one at a time, and its task completes after COMMIT.
/// </summary>
internal sealed class Writer : IDisposable
{
    private readonly SqliteSession _session;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Writer(SqliteSession session) => _session = session;

    public async Task<TResult> ExecuteAsync<TState, TResult>(Func<SqliteSession, TState, TResult> operation, TState state, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _session.Execute("BEGIN IMMEDIATE");
            try
            {
                var result = operation(_session, state);
                _session.Execute("COMMIT");
                return result;
            }
            catch
            {
                _session.Execute("ROLLBACK");
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Wait();
        _session.Dispose();
        _gate.Dispose();
    }
}

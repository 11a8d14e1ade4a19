using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Repositories;

/// <summary>
/// The read bodies every generated repository shares. A repository passes what differs per table (its SQL
/// constant, the parameter count, a static bind of its arguments and its typed <c>Read</c>); the rest lives here,
/// so a fix to how rows are read needs no regenerated code. Reads run inline on a pooled read connection
/// (<see cref="FilixDatabase.ReadAsync{TState, TResult}"/>): no allocation of their own, a completed
/// <see cref="ValueTask{TResult}"/> when a connection is free.
/// </summary>
public static class TableReads
{
    /// <summary>The first row of <paramref name="sql"/> for <paramref name="arguments"/>, or null.</summary>
    /// <param name="database">The database to read.</param>
    /// <param name="sql">One SELECT with positional parameters <c>$p0</c>.. (<see cref="SqliteSession.Command"/>).</param>
    /// <param name="parameterCount">The statement's parameters.</param>
    /// <param name="bind">Sets the parameters from the arguments; static, so it allocates nothing.</param>
    /// <param name="arguments">The arguments, one value or a named tuple of them.</param>
    /// <param name="read">Reads the current row of the reader.</param>
    /// <param name="cancellationToken">Cancels the wait for a read connection.</param>
    public static ValueTask<TRow?> OneAsync<TArguments, TRow>(
        FilixDatabase database,
        string sql,
        int parameterCount,
        Action<SqliteCommand, TArguments> bind,
        TArguments arguments,
        Func<SqliteDataReader, TRow> read,
        CancellationToken cancellationToken)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.ReadAsync(static (session, query) => query.One(session), new Query<TArguments, TRow>(sql, parameterCount, bind, arguments, read), cancellationToken);
    }

    /// <summary>Every row of <paramref name="sql"/> for <paramref name="arguments"/>, in the statement's order;
    /// the parameters as for <see cref="OneAsync"/>.</summary>
    public static ValueTask<IReadOnlyList<TRow>> ListAsync<TArguments, TRow>(
        FilixDatabase database,
        string sql,
        int parameterCount,
        Action<SqliteCommand, TArguments> bind,
        TArguments arguments,
        Func<SqliteDataReader, TRow> read,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.ReadAsync(static (session, query) => query.List(session), new Query<TArguments, TRow>(sql, parameterCount, bind, arguments, read), cancellationToken);
    }

    /// <summary>The single integer <paramref name="sql"/> returns (a <c>count(*)</c>).</summary>
    public static ValueTask<long> CountAsync(FilixDatabase database, string sql, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.ReadAsync(static (session, sql) => (long)session.Command(sql, 0).ExecuteScalar()!, sql, cancellationToken);
    }

    /// <summary>Every row of <paramref name="sql"/> (no parameters), streamed: one read connection is held until
    /// the enumeration ends.</summary>
    public static IAsyncEnumerable<TRow> ScanAsync<TRow>(FilixDatabase database, string sql, Func<SqliteDataReader, TRow> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.QueryAsync(sql, 0, static (_, _) => { }, 0, read, cancellationToken);
    }

    /// <summary>One read's statement, arguments and row reader, passed by value to the static read delegate.</summary>
    private readonly struct Query<TArguments, TRow>(string sql, int parameterCount, Action<SqliteCommand, TArguments> bind, TArguments arguments, Func<SqliteDataReader, TRow> read)
    {
        public TRow? One(SqliteSession session)
        {
            using var reader = Execute(session);
            return reader.Read() ? read(reader) : default;
        }

        public IReadOnlyList<TRow> List(SqliteSession session)
        {
            var rows = new List<TRow>();
            using var reader = Execute(session);
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        }

        private SqliteDataReader Execute(SqliteSession session)
        {
            var command = session.Command(sql, parameterCount);
            bind(command, arguments);
            return command.ExecuteReader();
        }
    }
}

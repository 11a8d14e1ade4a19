using Filix.Runtime.Sqlite;
using Filix.Runtime.Writing;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.FileSystems;

/// <summary>
/// Reads of a database opened with <see cref="UnsafeFileSystemMode.ExclusiveRollbackJournal"/>: they run on the
/// writer's connection, queued with the writes, because that connection holds the file's lock exclusively
/// (<c>locking_mode=EXCLUSIVE</c>) and any other connection, even in this process, would find it locked.
/// </summary>
/// <remarks>A read then waits for the batch ahead of it and runs in the writer's transaction (it sees every write
/// acknowledged before it), and a query's rows are collected before the first is returned. That is the price of
/// holding the file alone; on a local disk, WAL lets reads run beside the writer instead.</remarks>
internal static class ExclusiveFileReads
{
    public static ValueTask<TResult> ReadAsync<TState, TResult>(Writer writer, Func<SqliteSession, TState, TResult> read, TState state, CancellationToken cancellationToken) =>
        new(writer.ExecuteAsync(read, state, cancellationToken));

    public static Task<List<T>> QueryAsync<TState, T>(
        Writer writer, string sql, int parameterCount, Action<SqliteCommand, TState> bind, TState state, Func<SqliteDataReader, T> map, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(
            static (session, query) =>
            {
                var command = session.Command(query.sql, query.parameterCount);
                query.bind(command, query.state);
                using var reader = command.ExecuteReader();
                var rows = new List<T>();
                while (reader.Read())
                {
                    rows.Add(query.map(reader));
                }

                return rows;
            },
            (sql, parameterCount, bind, state, map),
            cancellationToken);
}

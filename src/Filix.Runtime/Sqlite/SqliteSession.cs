using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sqlite;

/// <summary>
/// One open connection and the prepared commands it has run. Generated code asks for a command by its SQL text and
/// binds parameters by ordinal (<c>$p0</c>, <c>$p1</c>, ...), so each statement is prepared once per connection.
/// A session is used by one caller at a time (the reader pool and the writer guarantee that).
/// </summary>
public sealed class SqliteSession : IDisposable
{
    private const int RecentSlots = 16;

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    // Generated code passes its SQL as string constants, so a statement almost always arrives as the same string
    // instance. A small cache keyed by that identity answers without hashing the (often 200+ character) text,
    // on every call; the ordinal dictionary stays the source of truth, so a miss costs one lookup as before.
    private readonly (string? Sql, SqliteCommand? Command)[] _recent = new (string?, SqliteCommand?)[RecentSlots];

    internal SqliteSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>The prepared command for <paramref name="sql"/> with <paramref name="parameterCount"/> positional
    /// parameters named <c>$p0</c>..; values are set by the caller before each execution.</summary>
    public SqliteCommand Command(string sql, int parameterCount)
    {
        ref var recent = ref _recent[RuntimeHelpers.GetHashCode(sql) & (RecentSlots - 1)];
        if (ReferenceEquals(recent.Sql, sql))
        {
            return recent.Command!;
        }

        var command = Prepared(sql, parameterCount);
        recent = (sql, command);
        return command;
    }

    private SqliteCommand Prepared(string sql, int parameterCount)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameterCount; i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), DBNull.Value));
        }

        command.Prepare();
        _commands.Add(sql, command);
        return command;
    }

    /// <summary>Runs a statement that is not worth caching (pragmas, transaction control, DDL).</summary>
    public int Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Array.Clear(_recent);
        Connection.Dispose();
    }
}

using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sqlite;

/// <summary>
/// One open connection and the prepared commands it has run. Generated code asks for a command by its SQL text and
/// binds parameters by ordinal (<c>$p0</c>, <c>$p1</c>, ...), so each statement is prepared once per connection.
/// A session is used by one caller at a time (the reader pool and the writer guarantee that).
/// </summary>
public sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    internal SqliteSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>The prepared command for <paramref name="sql"/> with <paramref name="parameterCount"/> positional
    /// parameters named <c>$p0</c>..; values are set by the caller before each execution.</summary>
    public SqliteCommand Command(string sql, int parameterCount)
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
        Connection.Dispose();
    }
}

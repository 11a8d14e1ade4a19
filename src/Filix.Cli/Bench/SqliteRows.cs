using Filix.Cli.Bench.Schema;
using Filix.Domains.Entities;
using Filix.Runtime;
using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Bench;

/// <summary>
/// Plain Microsoft.Data.Sqlite access for the baselines (naive, ceiling): a connection as an application would
/// open it, and the same statements the generated repositories run.
/// </summary>
internal static class SqliteRows
{
    /// <summary>The busy_timeout a typical application sets.</summary>
    public const int BusyTimeoutMs = 5000;

    public static SqliteConnection Open(BenchSettings settings)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = settings.DatabasePath,
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString());
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA foreign_keys = ON; PRAGMA synchronous = {(settings.Synchronous == SynchronousMode.Full ? "FULL" : "NORMAL")};";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>A prepared statement for the workload's write.</summary>
    public static SqliteCommand Prepare(SqliteConnection connection, BenchWorkload workload)
    {
        var command = connection.CreateCommand();
        command.CommandText = workload == BenchWorkload.Log ? AgentLogTable.BenchInsertSql : EventsTable.BenchUpsertSql;

        // The generated statements number their parameters $p0, $p1, ... in column order.
        for (var i = 0; command.CommandText.Contains(Parameter(i), StringComparison.Ordinal); i++)
        {
            command.Parameters.Add(new SqliteParameter(Parameter(i), DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    public static void Bind(SqliteCommand command, BenchWorkload workload, BenchRows rows, int writer, long n)
    {
        if (workload == BenchWorkload.Log)
        {
            AgentLogTable.BindRow(command, rows.Log(writer, n));
            return;
        }

        SqliteValues.Bind(command, EventsTable.UpsertValues(rows.Event(writer, n)), 0);
    }

    private static string Parameter(int index) => "$p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
/// <summary>Mode <c>naive</c>: each writer has its own connection and commits each write on its own
/// (autocommit), relying on busy_timeout when another writer holds the lock.</summary>
internal sealed class NaiveTarget : BenchTarget
{
    private readonly BenchSettings _settings;
    private readonly BenchRows _rows;
    private readonly SqliteConnection?[] _connections;
    private readonly SqliteCommand?[] _commands;

    public NaiveTarget(BenchSettings settings, BenchRows rows, int writers)
    {
        _settings = settings;
        _rows = rows;
        _connections = new SqliteConnection?[writers];
        _commands = new SqliteCommand?[writers];
    }

    public override bool Blocking => true;

    public override ValueTask WriteAsync(int writer, long n, CancellationToken cancellationToken)
    {
        var command = _commands[writer];
        if (command is null)
        {
            _connections[writer] = SqliteRows.Open(_settings);
            command = _commands[writer] = SqliteRows.Prepare(_connections[writer]!, _settings.Workload);
        }

        SqliteRows.Bind(command, _settings.Workload, _rows, writer, n);
        command.ExecuteNonQuery();
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        foreach (var command in _commands)
        {
            command?.Dispose();
        }

        foreach (var connection in _connections)
        {
            connection?.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}

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
    /// <summary>The generated events upsert (EventsTable.UpsertSql), which Filix.Domains keeps private.</summary>
    private const string EventUpsert =
        "INSERT INTO \"events\" (\"entity_id\", \"role\", \"role_type\", \"status\", \"start_date\", \"end_date\", \"source\", \"confidence\", \"note\", \"created_at\", \"updated_at\") " +
        "VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10) ON CONFLICT (\"entity_id\", \"role\", \"role_type\") DO UPDATE SET " +
        "\"status\" = excluded.\"status\", \"start_date\" = excluded.\"start_date\", \"end_date\" = excluded.\"end_date\", \"source\" = excluded.\"source\", " +
        "\"confidence\" = excluded.\"confidence\", \"note\" = excluded.\"note\", \"created_at\" = excluded.\"created_at\", \"updated_at\" = excluded.\"updated_at\"";

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
        command.CommandText = workload == BenchWorkload.Log ? AgentLogTable.InsertStatement : EventUpsert;
        for (var i = 0; i < (workload == BenchWorkload.Log ? 4 : 11); i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), DBNull.Value));
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

        var row = rows.Event(writer, n);
        var p = command.Parameters;
        p[0].Value = row.EntityId;
        p[1].Value = row.Role;
        p[2].Value = row.RoleType;
        p[3].Value = row.Status;
        p[4].Value = SqliteValues.Date(row.StartDate);
        p[5].Value = SqliteValues.Date(row.EndDate);
        p[6].Value = SqliteValues.Value(row.Source);
        p[7].Value = SqliteValues.Value(row.Confidence);
        p[8].Value = SqliteValues.Value(row.Note);
        p[9].Value = SqliteValues.Timestamp(row.CreatedAt);
        p[10].Value = SqliteValues.Timestamp(row.UpdatedAt);
    }
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

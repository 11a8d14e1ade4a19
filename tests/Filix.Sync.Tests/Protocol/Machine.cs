using System.Globalization;
using Filix.Runtime;
using Filix.Runtime.Sync;
using Filix.Testing;
using Npgsql;

namespace Filix.Sync.Tests.Protocol;

/// <summary>
/// A machine for protocol tests: its own data folder with one domain database (a real SQLite file; opening it
/// installs change capture) and its machine id.
/// </summary>
internal sealed class Machine : IAsyncDisposable
{
    private readonly TempDirectory _folder;

    private Machine(TempDirectory folder, string id, FilixDatabase database, string upstream)
    {
        _folder = folder;
        Id = id;
        Database = database;
        Upstream = upstream;
    }

    public string Id { get; }

    public FilixDatabase Database { get; }

    public string Upstream { get; }

    public HashSet<string> Enabled { get; } = new(StringComparer.Ordinal);

    public int BatchSize { get; set; } = 10_000;

    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public SyncOptions Options => new() { Upstream = Upstream, MachineId = Id, Enabled = Enabled, BatchSize = BatchSize, TombstoneRetention = Retention };

    public static Task<Machine> OpenAsync(string id, DatabaseSchema schema, string upstream) =>
        OpenAsync(id, schema, upstream, path => FilixDatabase.OpenAsync(path, schema));

    /// <summary>A machine whose database is opened by <paramref name="open"/> (a generated database type's).</summary>
    public static async Task<Machine> OpenAsync(string id, DatabaseSchema schema, string upstream, Func<string, Task<FilixDatabase>> open)
    {
        var folder = TempDirectory.Create("sync-" + id);
        var database = await open(folder.File(schema.FileName));
        return new Machine(folder, id, database, upstream);
    }

    public Task<SyncReport> SyncAsync(CancellationToken cancellationToken = default) => FilixSync.SyncAsync(Database, Options, cancellationToken);

    public Task<SyncReport> PushAsync(CancellationToken cancellationToken = default) => FilixSync.PushAsync(Database, Options, cancellationToken);

    public Task<SyncReport> PullAsync(CancellationToken cancellationToken = default) => FilixSync.PullAsync(Database, Options, cancellationToken);

    /// <summary>Raw SQL through the writer (capture triggers fire as for any other writer).</summary>
    public Task Sql(string sql) => Database.WriteAsync(static (session, sql) => session.Execute(sql), sql);

    /// <summary>The rows of <paramref name="sql"/>, each as its values joined by '|' (null as ∅).</summary>
    public Task<List<string>> RowsAsync(string sql) =>
        Database.ReadAsync(static (session, sql) =>
        {
            using var command = session.Connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            return Lines(reader);
        }, sql).AsTask();

    public async Task<object?> ScalarAsync(string sql) => await Database.ReadAsync(static (session, sql) => session.Scalar(sql), sql);

    public static List<string> Lines(System.Data.Common.DbDataReader reader)
    {
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>The upstream database of one test.</summary>
internal static class Upstream
{
    public static async Task<List<string>> RowsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        return Machine.Lines(reader);
    }

    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

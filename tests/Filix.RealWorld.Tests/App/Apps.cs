using Filix.Runtime;
using Filix.Runtime.Migrations;
using Npgsql;

namespace RealWorld;

internal static class Apps
{
    public static IReadOnlyList<IDomainApp> All { get; } = [new ChinookApp(), new NorthwindApp(), new SakilaApp()];

    public static IDomainApp? Find(string domain) => All.SingleOrDefault(a => a.Schema.Domain == domain);
}

internal interface IDomainApp
{
    DatabaseSchema Schema { get; }

    Task SqliteRoundTripAsync(string folder);

    Task UpstreamRoundTripAsync(string connectionString);

    Task SeedSqliteAsync(string folder);

    Task SeedUpstreamAsync(string connectionString);

    Task CheckEvolvedSqliteAsync(string folder);

    Task CheckEvolvedUpstreamAsync(string connectionString);
}

/// <summary>The scenarios, the same for every schema; each domain supplies its rows and typed calls.</summary>
internal abstract class DomainApp<TDb> : IDomainApp where TDb : IAsyncDisposable
{
    public abstract DatabaseSchema Schema { get; }

    protected abstract Task<TDb> OpenAsync(string folder);

    protected abstract FilixDatabase Raw(TDb db);

    /// <summary>Writes every sample row through the repositories, parents first (SQLite checks keys per statement).</summary>
    protected abstract Task WriteAsync(TDb db);

    /// <summary>Every table holds exactly the sample rows (scan and count).</summary>
    protected abstract Task CheckAsync(TDb db);

    /// <summary>Get, lookups (unique, index, key prefix), update, upsert, delete, and a refused delete.</summary>
    protected abstract Task ExerciseAsync(TDb db);

    /// <summary>Objects a user adds by hand with SQL beside the generated schema (views, triggers), checked at once.</summary>
    protected virtual Task AddUserObjectsAsync(TDb db) => Task.CompletedTask;

    /// <summary>The objects of <see cref="AddUserObjectsAsync"/> are there and work.</summary>
    protected virtual Task CheckUserObjectsAsync(TDb db) => Task.CompletedTask;

    /// <summary>Upserts every sample row through the upstream adapters, in declaration order (keys are deferred).</summary>
    protected abstract Task UpstreamWriteAsync(NpgsqlConnection connection);

    /// <summary>Every shared table upstream holds exactly the sample rows.</summary>
    protected abstract Task UpstreamCheckAsync(NpgsqlConnection connection);

    /// <summary>An upsert of an existing key updates the row upstream; after an edit, the new parts upstream.</summary>
    protected abstract Task UpstreamChangeAsync(NpgsqlConnection connection);

    public async Task SqliteRoundTripAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        await using var db = await OpenAsync(folder);
        await WriteAsync(db);
        await CheckAsync(db);
        await ExerciseAsync(db);
    }

    public async Task UpstreamRoundTripAsync(string connectionString)
    {
        await using var connection = await Upstream.OpenAsync(connectionString, Schema);
        await Upstream.InTransactionAsync(connection, UpstreamWriteAsync);
        await UpstreamCheckAsync(connection);
        await UpstreamChangeAsync(connection);
    }

    public async Task SeedSqliteAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        await using var db = await OpenAsync(folder);
        await WriteAsync(db);
        await CheckAsync(db);
        await AddUserObjectsAsync(db);
    }

    public async Task SeedUpstreamAsync(string connectionString)
    {
        await using var connection = await Upstream.OpenAsync(connectionString, Schema);
        await Upstream.InTransactionAsync(connection, UpstreamWriteAsync);
        await UpstreamCheckAsync(connection);
    }

    public async Task CheckEvolvedSqliteAsync(string folder)
    {
        CheckEvolvedBuild();
        await using (var db = await OpenAsync(folder))
        {
            var report = Raw(db).Migrations;
            Check.Equal(Schema.Migrations[^1].ToString(), report.Pending.Count == 0 ? "none" : report.Pending[^1].ToString(), $"{Schema.Domain}: the migration the populated SQLite file was upgraded with");
            await CheckAsync(db);
            await CheckUserObjectsAsync(db);
            await ExerciseAsync(db);
        }

        // A fresh file of the edited schema works as well as the migrated one.
        await SqliteRoundTripAsync(Path.Combine(folder, "fresh"));
    }

    public async Task CheckEvolvedUpstreamAsync(string connectionString)
    {
        CheckEvolvedBuild();
        await using var connection = await Upstream.OpenAsync(connectionString, Schema);
        await UpstreamCheckAsync(connection);
        await UpstreamChangeAsync(connection);
    }

    private void CheckEvolvedBuild() =>
        Check.True(Schema.Migrations.Count >= 2, $"{Schema.Domain}: this build holds the migrations [{string.Join(", ", Schema.Migrations)}]; the edit recorded none");
}

internal static class Upstream
{
    /// <summary>Opens the upstream and applies the domain's migrations to it.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, DatabaseSchema schema)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        try
        {
            await PostgresMigrations.MigrateAsync(connection, schema);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    /// <summary>The generated Postgres DDL, statement by statement, in one transaction on an empty database.</summary>
    public static async Task ApplyDdlAsync(string connectionString, DatabaseSchema schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var statement in schema.PostgresDdl)
        {
            await using var command = new NpgsqlCommand(statement, connection);
            try
            {
                await command.ExecuteNonQueryAsync();
            }
            catch (PostgresException ex)
            {
                throw new CheckFailedException($"The generated PostgresDdl of '{schema.Domain}' failed: {ex.MessageText}\n{statement}");
            }
        }

        await transaction.CommitAsync();
    }

    public static async Task InTransactionAsync(NpgsqlConnection connection, Func<NpgsqlConnection, Task> write)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await write(connection);
        await transaction.CommitAsync();
    }
}

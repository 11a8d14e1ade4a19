using Filix.Testing.Postgres;
using Npgsql;

namespace Filix.Runtime.Tests.Postgres;

internal static class UpstreamDatabase
{
    /// <summary>A new database in the fixture's cluster holding <paramref name="schema"/>'s generated Postgres DDL in
    /// the domain's own schema (where the migrations put it), and an open connection to it whose search_path is left
    /// as the server's default: the adapters must find their schema themselves. A statement the server rejects fails
    /// the test naming the domain and the statement.</summary>
    public static async Task<NpgsqlConnection> CreateAsync(PostgresFixture postgres, DatabaseSchema schema)
    {
        var connection = new NpgsqlConnection(await postgres.CreateDatabaseAsync(schema.Domain));
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var quoted = $"\"{schema.PostgresSchema}\"";
        foreach (var statement in new[] { $"CREATE SCHEMA {quoted}", $"SET LOCAL search_path TO {quoted}" }.Concat(schema.PostgresDdl))
        {
            await using var command = new NpgsqlCommand(statement, connection);
            try
            {
                await command.ExecuteNonQueryAsync();
            }
            catch (PostgresException ex)
            {
                await connection.DisposeAsync();
                Assert.Fail($"The generated Postgres DDL of '{schema.Domain}' ({schema.SourceFile}) failed: {ex.MessageText}\n{statement}");
            }
        }

        await transaction.CommitAsync();
        return connection;
    }
}

using Filix.Testing.Postgres;
using Npgsql;

namespace Filix.Runtime.Tests.Postgres;

internal static class UpstreamDatabase
{
    /// <summary>A new database in the fixture's cluster holding <paramref name="schema"/>'s generated Postgres DDL,
    /// and an open connection to it. A statement the server rejects fails the test naming the domain and the statement.</summary>
    public static async Task<NpgsqlConnection> CreateAsync(PostgresFixture postgres, DatabaseSchema schema)
    {
        var connection = new NpgsqlConnection(await postgres.CreateDatabaseAsync(schema.Domain));
        await connection.OpenAsync();
        foreach (var statement in schema.PostgresDdl)
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

        return connection;
    }
}

using System.Text;
using Npgsql;

namespace Filix.Migrations.Tests;

/// <summary>Opens the fixture's databases in the test domain's schema (<c>library</c>: every domain lives in a
/// Postgres schema of its name, docs/migrations.md) and describes that schema for comparison.</summary>
internal static class PostgresDump
{
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        // Created here too, so the DDL constants (unqualified, like the migrations) can run in a fresh database.
        await ExecuteAsync(connection, "CREATE SCHEMA IF NOT EXISTS library; SET search_path TO library");
        return connection;
    }

    /// <summary>The connection string with the test domain's schema as its search_path, for tests that read
    /// and write the domain's tables unqualified once a migration has created the schema.</summary>
    public static string InLibrary(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = "library" }.ConnectionString;

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<string>> RowsAsync(NpgsqlConnection connection, string sql)
    {
        var rows = new List<string>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i).ToString())));
        }

        return rows;
    }

    /// <summary>Columns, indexes and constraints (with their definitions, and the names of foreign keys) of the
    /// current schema; index and other constraint names Postgres chose itself are left out.</summary>
    public static async Task<string> SchemaAsync(NpgsqlConnection connection)
    {
        var sb = new StringBuilder();
        foreach (var sql in new[]
                 {
                     "SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') FROM information_schema.columns " +
                     "WHERE table_schema = current_schema() AND table_name <> '_filix_migrations' ORDER BY 1, 2",
                     "SELECT tablename, regexp_replace(indexdef, 'INDEX \\S+ ON', 'INDEX ON') FROM pg_indexes WHERE schemaname = current_schema() " +
                     "AND tablename <> '_filix_migrations' AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY 1, 2",
                     "SELECT conrelid::regclass::text, contype, CASE contype WHEN 'f' THEN conname ELSE '' END, pg_get_constraintdef(oid) FROM pg_constraint " +
                     "WHERE connamespace = current_schema()::regnamespace AND conrelid::regclass::text <> '_filix_migrations' ORDER BY 1, 2, 4",
                 })
        {
            foreach (var row in await RowsAsync(connection, sql))
            {
                sb.AppendLine(row);
            }
        }

        return sb.ToString();
    }
}

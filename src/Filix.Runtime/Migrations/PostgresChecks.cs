using Npgsql;

namespace Filix.Runtime.Migrations;

/// <summary>The data checks of a Postgres migration file, run before its first statement (as on SQLite), with a
/// few offending values in the refusal.</summary>
internal static class PostgresChecks
{
    /// <summary>Whether JSON text is valid for jsonb, without failing: Postgres 15 has no such test (16's
    /// pg_input_is_valid), so the checks of a text-to-json change call this one, which exists for the session only.</summary>
    private const string JsonValid =
        "CREATE OR REPLACE FUNCTION pg_temp.filix_json_valid(value text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$\n" +
        "BEGIN\n    PERFORM value::jsonb;\n    RETURN true;\nEXCEPTION WHEN others THEN\n    RETURN false;\nEND $$";

    public static async Task RunAsync(NpgsqlConnection connection, Migration migration, MigrationTarget where, CancellationToken cancellationToken)
    {
        foreach (var check in MigrationCheck.Parse(migration.PostgresSql))
        {
            if (check.CountSql.Contains("pg_temp.filix_json_valid(", StringComparison.Ordinal))
            {
                await using var define = new NpgsqlCommand(JsonValid, connection);
                await define.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var count = new NpgsqlCommand(check.CountSql, connection);
            var rows = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            if (rows > 0)
            {
                throw check.Failure(migration, where, rows, await ExamplesAsync(connection, check.ExamplesSql, cancellationToken).ConfigureAwait(false));
            }
        }
    }

    private static async Task<List<string>> ExamplesAsync(NpgsqlConnection connection, string? sql, CancellationToken cancellationToken)
    {
        var examples = new List<string>();
        if (sql is null)
        {
            return examples;
        }

        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (examples.Count < 3 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var values = Enumerable.Range(0, reader.FieldCount).Select(i => MigrationCheck.Show(reader.GetValue(i))).ToList();
            examples.Add(values.Count == 1 ? values[0] : "(" + string.Join(", ", values) + ")");
        }

        return examples;
    }
}

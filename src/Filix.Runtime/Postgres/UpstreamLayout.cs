using Filix.Runtime.Migrations;
using Npgsql;

namespace Filix.Runtime.Postgres;

/// <summary>
/// Where a domain lives upstream: its shared tables and its history <c>_filix_migrations</c> in the Postgres schema
/// named after the domain (<see cref="DatabaseSchema.PostgresSchema"/>). Filix before this layout put every domain's
/// tables and one history keyed by domain in the connection's first search_path schema (usually <c>public</c>);
/// such an upstream is recognised and refused with the statements that move it, never migrated into a second copy.
/// </summary>
internal static class UpstreamLayout
{
    /// <summary>The one quoting rule (<see cref="SqlNames.Quote"/>).</summary>
    public static string Quote(string identifier) => SqlNames.Quote(identifier);

    /// <summary>The domain's history table, qualified with its schema.</summary>
    public static string HistoryTable(DatabaseSchema schema) => Quote(schema.PostgresSchema) + "." + MigrationHistory.QuotedTable;

    /// <summary>
    /// Fails when another schema holds a Filix history with rows of this domain: the layout of an earlier Filix,
    /// whose tables are beside that history. Migrating would create a second, empty copy of the domain in its own
    /// schema while the rows stay behind; moving them is the user's decision (the tables of that history are not
    /// known here: later migrations may have renamed them), so the message gives the statements and changes nothing.
    /// </summary>
    public static async Task RefuseEarlierLayoutAsync(NpgsqlConnection connection, DatabaseSchema schema, MigrationTarget where, CancellationToken cancellationToken)
    {
        // A Filix history on Postgres always had the "domain" column; a user's table of that name without it is not one.
        // Only histories this role may read: another domain's schema, not granted to it, is none of its business.
        const string HistoriesSql = """
            SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname = '_filix_migrations' AND c.relkind IN ('r', 'p') AND n.nspname <> $1
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'domain' AND NOT a.attisdropped)
              AND has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')
            ORDER BY 1
            """;
        var others = new List<string>();
        await using (var command = new NpgsqlCommand(HistoriesSql, connection) { Parameters = { new() { Value = schema.PostgresSchema } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                others.Add(reader.GetString(0));
            }
        }

        foreach (var other in others)
        {
            var history = Quote(other) + "." + MigrationHistory.QuotedTable;
            await using var count = new NpgsqlCommand(
                $"SELECT count(*), max(\"id\" || '_' || \"name\") FROM {history} WHERE \"domain\" = $1", connection) { Parameters = { new() { Value = schema.Domain } } };
            long applied;
            string? last;
            await using (var reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                applied = reader.GetInt64(0);
                last = reader.IsDBNull(1) ? null : reader.GetString(1);
            }

            if (applied > 0)
            {
                var found = await TablesInAsync(connection, other, schema.Tables, cancellationToken).ConfigureAwait(false);
                throw EarlierLayout(schema, where, other, applied, last!, found);
            }
        }
    }

    private static async Task<List<string>> TablesInAsync(NpgsqlConnection connection, string schemaName, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname = ANY ($2) ORDER BY 1",
            connection) { Parameters = { new() { Value = schemaName }, new() { Value = tables.ToArray() } } };
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    private static FilixException EarlierLayout(DatabaseSchema schema, MigrationTarget where, string other, long applied, string last, IReadOnlyList<string> found)
    {
        var target = Quote(schema.PostgresSchema);
        var from = Quote(other);
        var moves = found.Count == 0
            ? $"ALTER TABLE {from}.\"<table>\" SET SCHEMA {target}; (for each of its tables); "
            : string.Concat(found.Select(t => $"ALTER TABLE {from}.{Quote(t)} SET SCHEMA {target}; "));
        var tables = found.Count == 0
            ? $"none of this build's tables of '{schema.Domain}' is in {from} (later migrations may have renamed them: move the tables its history created)"
            : $"this build's tables of '{schema.Domain}' found there: {string.Join(", ", found)}";
        return new FilixException(
            $"{where} holds domain '{schema.Domain}' as an earlier Filix laid it out: its history ({applied} migration{(applied == 1 ? string.Empty : "s")} applied, the last {last}) is in " +
            $"{from}.\"_filix_migrations\" with its tables beside it ({tables}). This Filix keeps each domain in its own Postgres schema, {target}, so " +
            $"domains with tables of the same name can share the upstream. Nothing was changed. Move the domain, then migrate again: " +
            $"BEGIN; CREATE SCHEMA {target}; {moves}" +
            $"CREATE TABLE {target}.\"_filix_migrations\" (LIKE {from}.\"_filix_migrations\" INCLUDING ALL); " +
            $"INSERT INTO {target}.\"_filix_migrations\" SELECT * FROM {from}.\"_filix_migrations\" WHERE \"domain\" = '{schema.Domain}'; " +
            $"DELETE FROM {from}.\"_filix_migrations\" WHERE \"domain\" = '{schema.Domain}'; COMMIT; (docs/migrations.md, 'One upstream, many domains').",
            where.Path);
    }
}

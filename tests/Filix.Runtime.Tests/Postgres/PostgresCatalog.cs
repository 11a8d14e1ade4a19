using Npgsql;

namespace Filix.Runtime.Tests.Postgres;

/// <summary>What the applied DDL created, read back from Postgres's catalog: the columns of each table with their
/// types, keys, unique columns and foreign keys. Sample rows are made from this, so they fit whatever a domain declares.
/// Only the tables of one Postgres schema: a domain's (<see cref="DatabaseSchema.PostgresSchema"/>).</summary>
internal sealed record PostgresCatalog(IReadOnlyDictionary<string, IReadOnlyList<PgColumn>> Tables)
{
    public static async Task<PostgresCatalog> ReadAsync(NpgsqlConnection connection, string schema)
    {
        var constraints = new Dictionary<(string Table, string Column), (bool Key, bool Unique, (string, string)? Reference)>();
        const string ConstraintSql = """
            SELECT t.relname, a.attname, c.contype, rt.relname, ra.attname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            LEFT JOIN pg_constraint r ON r.oid = c.oid AND c.contype = 'f'
            LEFT JOIN pg_class rt ON rt.oid = r.confrelid
            LEFT JOIN pg_attribute ra ON ra.attrelid = r.confrelid AND ra.attnum = r.confkey[array_position(r.conkey, a.attnum)]
            WHERE c.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) AND c.contype IN ('p', 'u', 'f')
            """;
        await using (var command = new NpgsqlCommand(ConstraintSql, connection) { Parameters = { new() { Value = schema } } })
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                var current = constraints.GetValueOrDefault(key);
                switch (reader.GetChar(2))
                {
                    case 'p': current.Key = true; break;
                    case 'u': current.Unique = true; break;
                    default: current.Reference = (reader.GetString(3), reader.GetString(4)); break;
                }

                constraints[key] = current;
            }
        }

        // Unique indexes declared in YAML are indexes, not constraints.
        const string UniqueIndexSql = """
            SELECT t.relname, a.attname
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            JOIN pg_class t ON t.oid = i.indrelid
            WHERE i.indisunique AND NOT i.indisprimary AND t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)
            """;
        await using (var command = new NpgsqlCommand(UniqueIndexSql, connection) { Parameters = { new() { Value = schema } } })
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                var current = constraints.GetValueOrDefault(key);
                current.Unique = true;
                constraints[key] = current;
            }
        }

        var tables = new Dictionary<string, List<PgColumn>>();
        const string ColumnSql = """
            SELECT table_name, column_name, udt_name, is_nullable = 'YES'
            FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_filix_migrations' ORDER BY table_name, ordinal_position
            """;
        await using (var command = new NpgsqlCommand(ColumnSql, connection) { Parameters = { new() { Value = schema } } })
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var table = reader.GetString(0);
                var column = reader.GetString(1);
                var info = constraints.GetValueOrDefault((table, column));
                if (!tables.TryGetValue(table, out var columns))
                {
                    tables[table] = columns = [];
                }

                columns.Add(new PgColumn(table, column, reader.GetString(2), reader.GetBoolean(3), info.Key, info.Unique, info.Reference));
            }
        }

        return new PostgresCatalog(tables.ToDictionary(t => t.Key, t => (IReadOnlyList<PgColumn>)t.Value));
    }

    public PgColumn Column(string table, string column) => Tables[table].Single(c => c.Name == column);
}

/// <summary>One column as Postgres holds it (<see cref="Type"/> is the udt name: text, int8, float8, bool, bytea,
/// timestamptz, date, jsonb, uuid).</summary>
internal sealed record PgColumn(string Table, string Name, string Type, bool Nullable, bool Key, bool Unique, (string Table, string Column)? References);

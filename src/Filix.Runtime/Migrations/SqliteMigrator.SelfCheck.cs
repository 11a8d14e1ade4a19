using System.Globalization;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Sync.Local;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Migrations;

// The self-check before COMMIT: the migrated file must have the schema a new database of the code's YAML has.
// Every statement is already checked on its own; this catches a migration that runs cleanly and still builds the
// wrong thing (a missing index, a lost key, a column left behind), which nothing else would notice until a write
// or a sync went wrong months later.
internal static partial class SqliteMigrator
{
    /// <summary>Compares the file's schema with <see cref="DatabaseSchema.SqliteDdl"/> applied to a scratch
    /// in-memory database, and fails with the differences. Tables are compared by shape, columns by name (a column
    /// added by ALTER TABLE comes last, and Filix never reads by position); views and triggers the DDL creates must
    /// exist under their names. Tables, views and triggers of the user's own, outside the schema, are left alone:
    /// <paramref name="before"/> (their SQL before the run) says which tables were there already and untouched.</summary>
    private static void CheckSchema(SqliteSession writer, DatabaseSchema schema, string path, List<Migration> applied, Dictionary<string, string> before)
    {
        using var fresh = new SqliteConnection("Data Source=:memory:");
        fresh.Open();
        foreach (var statement in schema.SqliteDdl)
        {
            SqliteStatements.Run(fresh, statement);
        }

        // Change capture is part of a Filix database (the migrator installs it before this check), so the reference
        // database gets it too: a migrated file missing a shared table's capture trigger, or the provenance view,
        // then fails here as "missing trigger …" instead of committing a table whose writes are not captured. (The
        // bookkeeping tables are _filix tables, which the comparison leaves out like the history.)
        CaptureInstall.CreateIn(fresh, schema);

        var expected = Describe(fresh, _ => true);
        var freshTables = Names(fresh, "table");
        var untouched = Tables(writer.Connection)
            .Where(t => !freshTables.Contains(t.Key) && before.TryGetValue(t.Key, out var sql) && sql == t.Value)
            .Select(t => t.Key)
            .ToHashSet(StringComparer.Ordinal);
        var actual = Describe(writer.Connection, table => !untouched.Contains(table));
        var missing = expected.Except(actual).Select(d => "missing " + d);
        var extra = actual.Except(expected).Where(d => !d.StartsWith("view ", StringComparison.Ordinal) && !d.StartsWith("trigger ", StringComparison.Ordinal)).Select(d => "unexpected " + d);
        var differences = missing.Concat(extra).Order(StringComparer.Ordinal).ToList();
        if (differences.Count > 0)
        {
            throw new FilixException(
                $"Migrations {string.Join(", ", applied)} ran on '{path}' but would leave a schema that differs from a new database of {schema.SourceFile}: " +
                $"{string.Join("; ", differences.Take(12))}{(differences.Count > 12 ? $"; and {differences.Count - 12} more" : string.Empty)}. " +
                $"Nothing was changed (the transaction was rolled back). This is a fault in the recorded migration, not in your data: " +
                $"report it with the files of schema/migrations/{schema.Domain}/ and keep using the previous build until it is fixed.",
                path);
        }
    }

    /// <summary>The SQL of each table, before the migrations run.</summary>
    private static Dictionary<string, string> Tables(SqliteConnection connection)
    {
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in Query(connection, "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL"))
        {
            tables[row[0]] = row[1];
        }

        return tables;
    }

    private static HashSet<string> Names(SqliteConnection connection, string type) =>
        Query(connection, $"SELECT name FROM sqlite_schema WHERE type = '{type}'").Select(r => r[0]).ToHashSet(StringComparer.Ordinal);

    /// <summary>One line per element of the schema (tables, columns, indexes, keys, CHECKs, views, triggers),
    /// without Filix's own tables and SQLite's (but with a rebuild's leftover <c>_filix_new_</c> table), and
    /// without names SQLite chose itself (autoindexes).</summary>
    private static HashSet<string> Describe(SqliteConnection connection, Func<string, bool> include)
    {
        var lines = new HashSet<string>(StringComparer.Ordinal);
        var tables = Query(connection, "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND (name NOT LIKE '\\_filix%' ESCAPE '\\' OR name LIKE '\\_filix\\_new\\_%' ESCAPE '\\')")
            .Where(t => include(t[0]));
        foreach (var table in tables)
        {
            var (name, literal) = (table[0], Literal(table[0]));
            lines.Add($"table {name} (strict {Query(connection, $"SELECT strict FROM pragma_table_list WHERE name = {literal}")[0][0]})");
            foreach (var c in Query(connection, $"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo({literal})"))
            {
                lines.Add($"column {name}.{c[0]} ({c[1]}{(c[2] == "1" ? " NOT NULL" : string.Empty)}{(c[3] == "NULL" ? string.Empty : " DEFAULT " + c[3])}{(c[4] == "0" ? string.Empty : " primary key " + c[4])})");
            }

            foreach (var i in Query(connection,
                         $"SELECT CASE origin WHEN 'c' THEN name ELSE origin END, \"unique\", partial, (SELECT group_concat(coalesce(name, '<expression>'), ', ') FROM " +
                         $"(SELECT name FROM pragma_index_xinfo(l.name) WHERE key ORDER BY seqno)) FROM pragma_index_list({literal}) l"))
            {
                lines.Add($"{(i[1] == "1" ? "unique " : string.Empty)}index {i[0]} on {name} ({i[3]}){(i[2] == "1" ? " partial" : string.Empty)}");
            }

            foreach (var f in Query(connection, $"SELECT \"from\", \"table\", \"to\", on_update, on_delete FROM pragma_foreign_key_list({literal})"))
            {
                lines.Add($"foreign key {name}.{f[0]} references {f[1]}.{f[2]} (on update {f[3]}, on delete {f[4]})");
            }

            foreach (var check in CheckClauses(table[1]))
            {
                lines.Add($"check on {name}: {check}");
            }
        }

        foreach (var o in Query(connection, "SELECT type, name, tbl_name FROM sqlite_schema WHERE type IN ('view', 'trigger') AND name NOT LIKE '\\_filix\\_probe%' ESCAPE '\\'"))
        {
            lines.Add(o[0] == "view" ? $"view {o[1]}" : $"trigger {o[1]} on {o[2]}");
        }

        return lines;
    }

    /// <summary>The table's CHECK clauses, as text (a renamed column's name is rewritten in them by SQLite).</summary>
    private static IEnumerable<string> CheckClauses(string sql)
    {
        var at = 0;
        while ((at = sql.IndexOf("CHECK (", at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var depth = 0;
            var end = at + 6;
            for (; end < sql.Length; end++)
            {
                depth += sql[end] == '(' ? 1 : sql[end] == ')' ? -1 : 0;
                if (depth == 0)
                {
                    break;
                }
            }

            yield return sql[at..Math.Min(end + 1, sql.Length)];
            at = end;
        }
    }

    private static List<string[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount)
                .Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? string.Empty)
                .ToArray());
        }

        return rows;
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

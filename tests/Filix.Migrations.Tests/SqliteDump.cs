using System.Text;
using Microsoft.Data.Sqlite;

namespace Filix.Migrations.Tests;

/// <summary>
/// Direct access to a test database with its own connection (not Filix's), and a normalised schema dump from
/// sqlite_schema and the table/index/foreign-key pragmas: equal dumps mean equal schemas, whatever the DDL text
/// (ALTER TABLE edits the stored CREATE text, so comparing the text itself would compare history, not shape).
/// Columns are listed by name: ADD COLUMN appends, and Filix never reads by position.
/// </summary>
internal static class SqliteDump
{
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static List<string> Rows(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    public static long Count(string path, string sql) => long.Parse(Rows(path, sql)[0], System.Globalization.CultureInfo.InvariantCulture);

    public static string Schema(string path)
    {
        var sb = new StringBuilder();
        foreach (var table in Rows(path, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_filix%' ESCAPE '\\' ORDER BY name"))
        {
            sb.Append("table ").Append(table).Append(" strict=").Append(Rows(path, $"SELECT strict FROM pragma_table_list WHERE name = '{table}'")[0]).Append('\n');
            foreach (var column in Rows(path, $"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo({Literal(table)}) ORDER BY name"))
            {
                sb.Append("  column ").Append(column).Append('\n');
            }

            foreach (var index in Rows(path, $"SELECT CASE origin WHEN 'c' THEN name ELSE origin END, \"unique\", (SELECT group_concat(name, ',') FROM pragma_index_info(l.name)) FROM pragma_index_list({Literal(table)}) l ORDER BY 1, 3"))
            {
                sb.Append("  index ").Append(index).Append('\n');
            }

            foreach (var fk in Rows(path, $"SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list({Literal(table)}) ORDER BY 2"))
            {
                sb.Append("  fk ").Append(fk).Append('\n');
            }

            foreach (var check in CheckClauses(Rows(path, $"SELECT sql FROM sqlite_schema WHERE name = {Literal(table)}")[0]))
            {
                sb.Append("  check ").Append(check).Append('\n');
            }

        }

        return sb.ToString();
    }

    private static IEnumerable<string> CheckClauses(string sql)
    {
        var checks = new List<string>();
        var at = 0;
        while ((at = sql.IndexOf("CHECK (", at, StringComparison.Ordinal)) >= 0)
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

            checks.Add(sql[at..(end + 1)]);
            at = end;
        }

        return checks.Order(StringComparer.Ordinal);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''") + "'";
}

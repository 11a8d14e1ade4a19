using System.Collections.Generic;
using System.Text;

namespace Filix.Generators.Migrations;

/// <summary>
/// One dialect's migration file: header comments, the data checks Filix runs before changing anything, and the
/// statements. The checks and the schema hash are comment lines (<c>-- filix:...</c>), so the file stays plain SQL
/// that a person can read and that sqlite3 or psql could run as it is.
/// </summary>
internal sealed class MigrationScript
{
    public const string SchemaHashPrefix = "-- filix:schema-hash ";
    public const string CheckPrefix = "-- filix:check ";

    private readonly List<string> _checks = new();
    private readonly List<string> _statements = new();

    public const string ExamplesPrefix = "-- filix:examples ";

    /// <summary>A check: <paramref name="countSql"/> counts the rows that would make the migration fail or lose
    /// data; <paramref name="problem"/> says what is wrong with them (the runtime adds table and column, and the
    /// count where the text says <c>{count}</c>, else as a number of rows); <paramref name="examplesSql"/>, when
    /// given, selects a few offending values for the message (on a line of its own, so the check line keeps the
    /// form older runtimes read).</summary>
    public void Check(string table, string column, string problem, string countSql, string? examplesSql = null)
    {
        _checks.Add(CheckPrefix + table + "|" + column + "|" + problem + "|" + countSql);
        if (examplesSql is not null)
        {
            _checks.Add(ExamplesPrefix + examplesSql);
        }
    }

    public void Add(string statement) => _statements.Add(statement);

    public void Comment(string text) => _statements.Add("-- " + text);

    public string Render(IEnumerable<string> header, string? schemaHash)
    {
        var sb = new StringBuilder();
        foreach (var line in header)
        {
            sb.Append("-- ").Append(line).Append('\n');
        }

        if (schemaHash is not null)
        {
            sb.Append(SchemaHashPrefix).Append(schemaHash).Append('\n');
        }

        foreach (var check in _checks)
        {
            sb.Append(check).Append('\n');
        }

        foreach (var statement in _statements)
        {
            sb.Append('\n').Append(statement).Append(statement.StartsWith("--", System.StringComparison.Ordinal) ? "\n" : ";\n");
        }

        if (_statements.Count == 0)
        {
            sb.Append("\n-- Nothing to do in this dialect.\n");
        }

        return sb.ToString();
    }

    /// <summary>The schema hash a SQLite migration file records, or null.</summary>
    public static string? ReadSchemaHash(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(SchemaHashPrefix, System.StringComparison.Ordinal))
            {
                return line.Substring(SchemaHashPrefix.Length).Trim();
            }
        }

        return null;
    }
}

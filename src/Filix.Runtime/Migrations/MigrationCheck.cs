using System.Globalization;
using System.Text.RegularExpressions;

namespace Filix.Runtime.Migrations;

/// <summary>
/// A data check a migration file declares (<c>-- filix:check table|column|problem|SELECT count(*) ...</c>): rows
/// that would make the migration fail or lose data. All checks of a migration run before its first statement, so a
/// failing one stops the migration with a clear message while nothing has changed. A check may be followed by
/// <c>-- filix:examples SELECT ...</c>, a query for a few of the offending values, which the message shows.
/// <see cref="Problem"/> may hold <c>{count:value/values}</c> (not a bar: it separates the fields of the line), where the count goes with the noun for one or for
/// several (else the count is shown as a number of rows).
/// </summary>
/// <param name="Table">The table's name after the migration.</param>
/// <param name="Column">The column's name after the migration, or several joined by commas.</param>
/// <param name="Problem">What is wrong with the rows counted.</param>
/// <param name="CountSql">Counts them, by the names the database has before the migration.</param>
/// <param name="ExamplesSql">Selects some of the offending values, or null.</param>
internal sealed partial record MigrationCheck(string Table, string Column, string Problem, string CountSql, string? ExamplesSql = null)
{
    private const string Prefix = "-- filix:check ";
    private const string ExamplesPrefix = "-- filix:examples ";

    /// <summary>The table's name in the database while the check runs, when this migration renames it.</summary>
    public string? RecordedTable { get; init; }

    /// <summary>The columns' names in the database while the check runs, when this migration renames them.</summary>
    public IReadOnlyList<string>? RecordedColumns { get; init; }

    public static List<MigrationCheck> Parse(string script)
    {
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        var columns = new Dictionary<(string, string), string>();
        foreach (Match rename in Rename().Matches(script))
        {
            var (table, old, now) = (Unquote(rename.Groups["table"].Value), Unquote(rename.Groups["old"].Value), Unquote(rename.Groups["new"].Value));
            if (rename.Groups["column"].Success)
            {
                columns[(table, now)] = old;
            }
            else if (!table.StartsWith("_filix_new_", StringComparison.Ordinal))
            {
                // A rebuild renames its new table to the final name: that is no rename of the user's table.
                tables[now] = table;
            }
        }

        var checks = new List<MigrationCheck>();
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith(ExamplesPrefix, StringComparison.Ordinal) && checks.Count > 0)
            {
                checks[^1] = checks[^1] with { ExamplesSql = line[ExamplesPrefix.Length..] };
                continue;
            }

            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line[Prefix.Length..].Split('|', 4);
            if (parts.Length == 4)
            {
                // Column renames run after table renames, so they name the table by its new name.
                var names = parts[1].Split(',');
                var recorded = names.Select(c => columns.TryGetValue((parts[0], c), out var old) ? old : c).ToList();
                checks.Add(new MigrationCheck(parts[0], parts[1], parts[2], parts[3])
                {
                    RecordedTable = tables.TryGetValue(parts[0], out var oldTable) ? oldTable : null,
                    RecordedColumns = recorded.SequenceEqual(names) ? null : recorded,
                });
            }
        }

        return checks;
    }

    /// <summary>The refusal: what (the columns, by the names the database has now, and the new names when this
    /// migration renames them), how many, a few examples, and what to do.</summary>
    public FilixException Failure(Migration migration, MigrationTarget where, long rows, IReadOnlyList<string>? examples = null)
    {
        var count = rows.ToString(CultureInfo.InvariantCulture);
        var problem = Count().IsMatch(Problem)
            ? Count().Replace(Problem, m => $"{count} {(rows == 1 ? m.Groups["one"].Value : m.Groups["many"].Value)}", 1)
            : $"{Problem} ({count} {(rows == 1 ? "row" : "rows")})";
        var shown = examples is { Count: > 0 } ? $", for example {string.Join(", ", examples)}" : string.Empty;
        return new FilixException(
            $"Migration {migration} cannot be applied to {where}: {Subject()} {Sentence(problem)}{shown}. " +
            "Nothing was changed. Fix those rows (or change the YAML so the migration keeps them), then open the database again.",
            where.Path);
    }

    /// <summary>"column books.notes", or "columns (a, b) of table books", by the names the database has while
    /// the check runs, and the new names when this migration renames them. A column renamed inside a table rebuild
    /// has no RENAME statement to learn its old name from: it is named as the YAML names it.</summary>
    private string Subject()
    {
        var now = Column.Split(',');
        string Columns(IReadOnlyList<string> names) => names.Count == 1 ? names[0] : $"({string.Join(", ", names)})";
        string Of(IReadOnlyList<string> names, string table) => names.Count == 1 ? $"column {table}.{names[0]}" : $"columns {Columns(names)} of table {table}";
        return (RecordedTable, RecordedColumns) switch
        {
            (null, null) => Of(now, Table),
            (null, { } old) => $"{Of(old, Table)} (renamed to {Columns(now)} by this migration)",
            ({ } table, null) => $"{(now.Length == 1 ? "column " + now[0] : "columns " + Columns(now))} of table {table} (renamed to {Table} by this migration)",
            ({ } table, { } old) => $"{Of(old, table)} (renamed to {(now.Length == 1 ? $"{Table}.{now[0]}" : $"{Columns(now)} of {Table}")} by this migration)",
        };
    }

    /// <summary>Text without its closing full stop, for a message that goes on after it.</summary>
    internal static string Sentence(string text) => text.TrimEnd().TrimEnd('.');

    /// <summary>An example value as the message shows it: text quoted and cut at 40 characters.</summary>
    internal static string Show(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => "'" + (s.Length > 40 ? s[..40] + "…" : s).Replace("'", "''", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "'",
        byte[] b => "x'" + Convert.ToHexString(b.Length > 20 ? b[..20] : b) + (b.Length > 20 ? "…'" : "'"),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Unquote(string name) =>
        name.StartsWith('"') ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name;

    [GeneratedRegex(@"\{count:(?<one>[^/}]*)/(?<many>[^}]*)\}")]
    private static partial Regex Count();

    // The renames Filix's migrations write (SqlDialect.Quote around every name).
    [GeneratedRegex("""^ALTER TABLE (?<table>"(?:[^"]|"")*") RENAME (?:(?<column>COLUMN) (?<old>"(?:[^"]|"")*") TO (?<new>"(?:[^"]|"")*")|TO (?<new>"(?:[^"]|"")*"))""", RegexOptions.Multiline)]
    private static partial Regex Rename();
}

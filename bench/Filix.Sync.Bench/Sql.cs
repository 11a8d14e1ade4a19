namespace Filix.Sync.Bench;

/// <summary>The runtime's quoting rule (<c>SqlNames.Quote</c>, internal to Filix.Runtime), repeated here for the
/// benchmark's own peer statements: wrap in <c>"</c>, double an embedded <c>"</c>. The same in SQLite and Postgres.</summary>
internal static class Sql
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Columns(IEnumerable<string> columns) => string.Join(", ", columns.Select(Quote));
}

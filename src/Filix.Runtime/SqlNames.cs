namespace Filix.Runtime;

/// <summary>The generator's quoting rule (<c>SqlDialect.Quote</c>: wrap in <c>"</c>, double an embedded <c>"</c>), the
/// same in SQLite and Postgres, for the identifiers the runtime writes itself (history, sync bookkeeping). No
/// identifier reaches SQL unquoted.</summary>
internal static class SqlNames
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A string literal (single quotes doubled), for names that SQL compares as values.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

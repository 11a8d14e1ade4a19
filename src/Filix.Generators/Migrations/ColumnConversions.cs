using Filix.Generators.Model;
using Filix.Generators.Parsing;
using Filix.Generators.Sql;

namespace Filix.Generators.Migrations;

/// <summary>
/// What a column type change does to stored values. A widening change keeps every value (integer or boolean to
/// real, boolean to integer, anything to text, date to timestamp); any other change narrows and needs the
/// schema's consent (FLX0103) and a check at apply time that every stored value converts, and converts to the same
/// value in SQLite and in Postgres. The check refuses exactly the values one of the two would not convert
/// faithfully: SQLite's CAST takes the longest prefix that reads as a number ('1.2.3' becomes 1.2, 'e5' becomes
/// 0.0) and never fails, while Postgres refuses what it cannot read and reads some things SQLite does not ('NaN',
/// ' yes'). The rules are written once as regular expressions that both dialects read alike (SQLite through the
/// <c>regexp</c> function the runtime registers on the migrating connection, Postgres with <c>~</c>), and range
/// and calendar conditions in plain arithmetic both dialects evaluate alike.
/// </summary>
internal static class ColumnConversions
{
    // White space both dialects skip around a number: SQLite's sqlite3Isspace and Postgres's isspace (C locale).
    private const string Space = "[ \\t\\n\\r\\f\\v]*";
    private const string IntegerPattern = "^" + Space + "[+-]?[0-9]+" + Space + "$";

    // Decimal notation only, exponents of at most three digits: no 'NaN', 'Infinity', hexadecimal or '1_000'
    // (SQLite reads them as 0 or a prefix), and no exponent Postgres's numeric could not hold.
    private const string RealPattern = "^" + Space + "[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?" + Space + "$";
    private const string ZeroPattern = "^" + Space + "[+-]?(0+[.]?0*|[.]0+)([eE][+-]?[0-9]{1,3})?" + Space + "$";

    // SQLite turns 'true' and 'false' into 1 and 0 and reads anything else as an integer; Postgres also reads
    // 'yes', 'on', 't', 'TRUE' and prefixes of them. What both read the same way:
    private const string BooleanPattern = "^(" + Space + "[01]" + Space + "|true|false)$";
    private const string DatePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

    // The stored form (SqliteValues): UTC, seven fractional digits of which Postgres keeps six.
    private const string TimestampPattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9][.][0-9]{6}0Z$";
    private const string UuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    public static bool IsWidening(ColumnType from, ColumnType to) => (from, to) switch
    {
        (ColumnType.Integer, ColumnType.Real) => true,
        (ColumnType.Boolean, ColumnType.Integer) => true,
        (ColumnType.Boolean, ColumnType.Real) => true,
        (ColumnType.Date, ColumnType.Timestamp) => true,
        (ColumnType.Blob, _) => false,
        (_, ColumnType.Text) => true,
        _ => false,
    };

    /// <summary>
    /// Why no migration can change <paramref name="from"/> to <paramref name="to"/>, or null when one can (the
    /// lint refuses the change at the YAML line, FLX0106, whatever <c>allow_destructive:</c> says). Blob to
    /// anything: Postgres refuses bytes that are not UTF-8, but SQLite has no test for valid UTF-8 (a cast keeps
    /// any bytes), so a SQLite database and the upstream would disagree about the same rows. The other refusals
    /// are changes Postgres has no conversion for (bigint to date), or whose text forms differ between the two.
    /// </summary>
    public static string? Unsupported(ColumnType from, ColumnType to)
    {
        if (from == to || IsWidening(from, to) && from != ColumnType.Blob)
        {
            return null;
        }

        if (from == ColumnType.Blob)
        {
            return "SQLite cannot check that stored bytes are valid UTF-8 text (Postgres can), so local and upstream values could differ";
        }

        return (from, to) switch
        {
            (ColumnType.Text, _) => null,
            (ColumnType.Integer, ColumnType.Boolean or ColumnType.Blob) => null,
            (ColumnType.Real, ColumnType.Integer or ColumnType.Boolean) => null,
            (ColumnType.Timestamp, ColumnType.Date) => null,
            (ColumnType.Uuid, ColumnType.Blob) => null,
            (_, ColumnType.Blob) => $"the bytes would be the value's text, which SQLite and Postgres write differently for {TypeNames.Name(from)}",
            _ => $"Postgres has no conversion from {SqlDialect.Postgres.TypeName(from)} to {SqlDialect.Postgres.TypeName(to)}, and SQLite's would keep the {TypeNames.Name(from)} text",
        };
    }

    /// <summary>The SQLite expression that turns the stored form of <paramref name="from"/> into that of <paramref name="to"/>.</summary>
    public static string SqliteCopy(string column, ColumnType from, ColumnType to)
    {
        var x = SqlDialect.Quote(column);
        return (from, to) switch
        {
            _ when from == to => x,
            (ColumnType.Date, ColumnType.Timestamp) => $"({x} || 'T00:00:00.0000000Z')",
            (ColumnType.Timestamp, ColumnType.Date) => $"substr({x}, 1, 10)",
            (ColumnType.Boolean, ColumnType.Text) => $"(CASE {x} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)",
            (ColumnType.Text, ColumnType.Boolean) => $"(CASE {x} WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE CAST({x} AS INTEGER) END)",
            (_, ColumnType.Uuid) => $"lower({x})",
            _ => $"CAST({x} AS {SqlDialect.Sqlite.TypeName(to)})",
        };
    }

    /// <summary>
    /// Adds to <paramref name="script"/> the check that every stored value of the column converts faithfully
    /// (none when every value does), with a query for a few of those that do not. <paramref name="recordedTable"/>
    /// and <paramref name="recordedColumn"/> are the names before the migration (the check runs first);
    /// <paramref name="table"/> and <paramref name="column"/> the names after it.
    /// </summary>
    public static void Check(MigrationScript script, string table, string column, string recordedTable, string recordedColumn, ColumnType from, ColumnType to, SqlDialect dialect)
    {
        if (Invalid(recordedColumn, from, to, dialect) is not { } invalid)
        {
            return;
        }

        var x = SqlDialect.Quote(recordedColumn);
        var rows = $"FROM {SqlDialect.Quote(recordedTable)} WHERE {x} IS NOT NULL AND {invalid}";
        script.Check(table, column, $"holds values that do not convert from {TypeNames.Name(from)} to {TypeNames.Name(to)} alike in SQLite and Postgres",
            "SELECT count(*) " + rows, $"SELECT DISTINCT {x} {rows} LIMIT 3");
    }

    /// <summary>A condition true for a stored (non-NULL) value that does not convert faithfully, or null when
    /// every value does. Both dialects get the same rule.</summary>
    public static string? Invalid(string column, ColumnType from, ColumnType to, SqlDialect dialect)
    {
        if (from == to || IsWidening(from, to))
        {
            return null;
        }

        var sqlite = dialect is SqliteDialect;
        var x = SqlDialect.Quote(column);
        var text = sqlite ? $"CAST({x} AS TEXT)" : $"{x}::text";
        string Matches(string pattern) => $"{text} {(sqlite ? "REGEXP" : "~")} {SqlDialect.Literal(pattern)}";

        // Conditions that may only be evaluated once the pattern matched (a Postgres cast fails on anything else).
        string Unless(string pattern, string valid) => $"(CASE WHEN {Matches(pattern)} THEN NOT ({valid}) ELSE TRUE END)";
        string Number(string type) => sqlite ? $"CAST({x} AS {type})" : $"{x}::numeric";

        return (from, to) switch
        {
            (ColumnType.Text, ColumnType.Integer) => Unless(IntegerPattern,
                $"abs({Number("REAL")}) < 9.2e18 OR {(sqlite ? $"CAST(CAST({x} AS INTEGER) AS TEXT) = {x}" : $"{x}::numeric::text = {x} AND {x}::numeric BETWEEN -9223372036854775808 AND 9223372036854775807")}"),
            (ColumnType.Text, ColumnType.Real) => Unless(RealPattern,
                $"{Matches(ZeroPattern)} OR abs({Number("REAL")}) BETWEEN 2.2250738585072014e-308 AND 1.7976931348623157e308"),
            (ColumnType.Text, ColumnType.Boolean) => $"NOT ({Matches(BooleanPattern)})",
            (ColumnType.Text, ColumnType.Date) => Unless(DatePattern, Calendar(x)),
            (ColumnType.Text, ColumnType.Timestamp) => Unless(TimestampPattern, Calendar(x)),
            (ColumnType.Text, ColumnType.Uuid) => $"NOT ({Matches(UuidPattern)})",

            // Postgres 15 has no test that does not fail on invalid JSON: the runtime's migrator defines
            // pg_temp.filix_json_valid (the jsonb cast, caught) for the session before it runs the checks, as it
            // registers REGEXP for SQLite's. Both refuse what jsonb cannot hold, the escape \u0000 (conservatively,
            // even after an escaped backslash).
            (ColumnType.Text, ColumnType.Json) => sqlite
                ? $"(NOT json_valid({x}) OR instr({x}, '\\u0000') > 0)"
                : $"(NOT pg_temp.filix_json_valid({x}) OR strpos({x}, '\\u0000') > 0)",
            (ColumnType.Real, ColumnType.Integer) => sqlite
                ? $"{x} <> CAST({x} AS INTEGER)"
                : $"NOT ({x} = trunc({x}) AND {x} >= -9223372036854775808 AND {x} < 9223372036854775808)",
            (ColumnType.Integer or ColumnType.Real, ColumnType.Boolean) => $"{x} NOT IN (0, 1)",
            _ => null,
        };
    }

    /// <summary>True when the first ten characters of <paramref name="x"/> (digits in yyyy-MM-dd places) are a
    /// date of the calendar, in arithmetic both dialects evaluate alike (SQLite's date() would also do, but
    /// Postgres has no test that does not fail).</summary>
    private static string Calendar(string x)
    {
        var y = $"CAST(substr({x}, 1, 4) AS INTEGER)";
        var m = $"CAST(substr({x}, 6, 2) AS INTEGER)";
        var d = $"CAST(substr({x}, 9, 2) AS INTEGER)";
        return $"{y} >= 1 AND {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND CASE WHEN {m} = 2 THEN CASE WHEN ({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0 THEN 29 ELSE 28 END " +
               $"WHEN {m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END";
    }

    /// <summary>The Postgres USING expression of <c>ALTER COLUMN ... TYPE</c>.</summary>
    public static string PostgresUsing(string column, ColumnType from, ColumnType to)
    {
        var x = SqlDialect.Quote(column);
        return (from, to) switch
        {
            (ColumnType.Boolean, ColumnType.Integer) => $"{x}::integer::bigint",
            (ColumnType.Boolean, ColumnType.Real) => $"{x}::integer::double precision",
            (ColumnType.Integer or ColumnType.Real, ColumnType.Boolean) => $"({x} <> 0)",

            // The date in UTC, as SQLite keeps the first ten characters of the stored UTC text.
            (ColumnType.Timestamp, ColumnType.Date) => $"({x} AT TIME ZONE 'UTC')::date",

            // Midnight UTC of the date, as SQLite's stored text says, not midnight in this session's TimeZone.
            (ColumnType.Date, ColumnType.Timestamp) => $"({x}::timestamp AT TIME ZONE 'UTC')",

            // Text as SQLite stores it (SqliteValues), not as this session's DateStyle and TimeZone would print it,
            // so a converted column holds the same text in both databases.
            (ColumnType.Timestamp, ColumnType.Text) => $"to_char({x} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"0Z\"')",
            (ColumnType.Date, ColumnType.Text) => $"to_char({x}, 'YYYY-MM-DD')",
            (ColumnType.Blob, _) => $"convert_from({x}, 'UTF8')::{SqlDialect.Postgres.TypeName(to)}",
            (_, ColumnType.Blob) => $"convert_to({x}::text, 'UTF8')",
            _ => $"{x}::{SqlDialect.Postgres.TypeName(to)}",
        };
    }
}

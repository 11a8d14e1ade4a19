using Filix.Generators.Model;
using Filix.Generators.Sql;

namespace Filix.Generators.Migrations;

/// <summary>
/// What a column type change does to stored values. A widening change keeps every value (integer to real, anything
/// to text, date to timestamp); any other change narrows and needs the schema's consent (FLX0103) and a check at
/// apply time that every stored value converts.
/// </summary>
internal static class ColumnConversions
{
    public static bool IsWidening(ColumnType from, ColumnType to) => (from, to) switch
    {
        (ColumnType.Integer, ColumnType.Real) => true,
        (ColumnType.Boolean, ColumnType.Integer) => true,
        (ColumnType.Date, ColumnType.Timestamp) => true,
        (ColumnType.Blob, _) => false,
        (_, ColumnType.Text) => true,
        _ => false,
    };

    /// <summary>
    /// Why no migration can change <paramref name="from"/> to <paramref name="to"/>, or null when one can (the
    /// lint refuses the change at the YAML line, FLX0106, whatever <c>allow_destructive:</c> says). Blob to text:
    /// Postgres refuses bytes that are not UTF-8, but SQLite has no test for valid UTF-8 (a cast keeps any bytes),
    /// so a SQLite database and the upstream would disagree about the same rows.
    /// </summary>
    public static string? Unsupported(ColumnType from, ColumnType to) => (from, to) switch
    {
        (ColumnType.Blob, ColumnType.Text) =>
            "SQLite cannot check that stored bytes are valid UTF-8 text (Postgres can), so local and upstream values could differ",
        _ => null,
    };

    /// <summary>The SQLite expression that turns the stored form of <paramref name="from"/> into that of <paramref name="to"/>.</summary>
    public static string SqliteCopy(string column, ColumnType from, ColumnType to)
    {
        var x = SqlDialect.Quote(column);
        return (from, to) switch
        {
            _ when from == to => x,
            (ColumnType.Date, ColumnType.Timestamp) => $"({x} || 'T00:00:00.0000000Z')",
            (ColumnType.Boolean, ColumnType.Text) => $"(CASE {x} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)",
            (ColumnType.Text, ColumnType.Boolean) => $"(CASE {x} WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE CAST({x} AS INTEGER) END)",
            (_, ColumnType.Uuid) => $"lower({x})",
            _ => $"CAST({x} AS {SqlDialect.Sqlite.TypeName(to)})",
        };
    }

    /// <summary>A SQLite condition true for a stored value that does not convert, or null when every value does.</summary>
    public static string? SqliteInvalid(string column, ColumnType from, ColumnType to)
    {
        if (from == to || IsWidening(from, to))
        {
            return null;
        }

        var x = SqlDialect.Quote(column);
        var text = $"CAST({x} AS TEXT)";
        return to switch
        {
            ColumnType.Integer => $"CAST(CAST({x} AS INTEGER) AS TEXT) <> {text}",
            ColumnType.Real => $"({text} NOT GLOB '*[0-9]*' OR {text} GLOB '*[^0-9.eE+-]*')",
            ColumnType.Boolean => $"{text} NOT IN ('0', '1', 'true', 'false')",
            ColumnType.Json => $"NOT json_valid({x})",
            ColumnType.Date => $"{text} NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'",
            ColumnType.Timestamp => $"{text} NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9][0-9]Z'",
            ColumnType.Uuid => $"(length({x}) <> 36 OR lower({text}) GLOB '*[^0-9a-f-]*')",
            ColumnType.Blob => null,
            // Only blob to text gets here, which the lint refuses (Unsupported); were it ever planned, every stored
            // value counts as not converting (a STRICT blob column holds only blobs), so it fails closed.
            ColumnType.Text => $"typeof({x}) = 'blob'",
            _ => throw Unhandled.Value(to),
        };
    }

    /// <summary>The Postgres USING expression of <c>ALTER COLUMN ... TYPE</c>.</summary>
    public static string PostgresUsing(string column, ColumnType from, ColumnType to)
    {
        var x = SqlDialect.Quote(column);
        return (from, to) switch
        {
            (ColumnType.Boolean, ColumnType.Integer) => $"{x}::integer::bigint",
            (ColumnType.Integer, ColumnType.Boolean) => $"({x} <> 0)",

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

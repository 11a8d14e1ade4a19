using Filix.Generators.Model;

namespace Filix.Generators.Emit;

/// <summary>
/// The C# side of the type map: each portable type's CLR type, and how generated code reads and binds it with
/// Microsoft.Data.Sqlite (typed getters, constant ordinals) and Npgsql (native types).
/// </summary>
internal static class CSharpTypes
{
    private const string Values = "global::Filix.Runtime.Sqlite.SqliteValues";

    public static string ClrType(ColumnType type) => type switch
    {
        ColumnType.Text or ColumnType.Json => "string",
        ColumnType.Integer => "long",
        ColumnType.Real => "double",
        ColumnType.Boolean => "bool",
        ColumnType.Blob => "byte[]",
        ColumnType.Timestamp => "global::System.DateTimeOffset",
        ColumnType.Date => "global::System.DateOnly",
        _ => "global::System.Guid",
    };

    public static string PropertyType(ColumnSpec column) => ClrType(column.Type) + (column.Nullable ? "?" : string.Empty);

    /// <summary>An expression reading column <paramref name="ordinal"/> of a SqliteDataReader named <c>reader</c>.</summary>
    public static string SqliteRead(ColumnSpec column, int ordinal)
    {
        var o = ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var read = column.Type switch
        {
            ColumnType.Text or ColumnType.Json => $"reader.GetString({o})",
            ColumnType.Integer => $"reader.GetInt64({o})",
            ColumnType.Real => $"reader.GetDouble({o})",
            ColumnType.Boolean => $"{Values}.ReadBoolean(reader, {o})",
            ColumnType.Blob => $"{Values}.ReadBlob(reader, {o})",
            ColumnType.Timestamp => $"{Values}.ReadTimestamp(reader, {o})",
            ColumnType.Date => $"{Values}.ReadDate(reader, {o})",
            _ => $"{Values}.ReadUuid(reader, {o})",
        };
        return column.Nullable ? $"reader.IsDBNull({o}) ? null : {read}" : read;
    }

    /// <summary>An expression giving the value to bind for <paramref name="value"/> (a C# expression of the
    /// column's type) as Microsoft.Data.Sqlite expects it.</summary>
    public static string SqliteBind(ColumnSpec column, string value) => column.Type switch
    {
        ColumnType.Boolean => $"{Values}.Boolean({value})",
        ColumnType.Timestamp => $"{Values}.Timestamp({value})",
        ColumnType.Date => $"{Values}.Date({value})",
        ColumnType.Uuid => $"{Values}.Uuid({value})",
        _ when column.Nullable => $"{Values}.Value({value})",
        _ => value,
    };

    public static string NpgsqlDbType(ColumnType type) => "global::NpgsqlTypes.NpgsqlDbType." + type switch
    {
        ColumnType.Text => "Text",
        ColumnType.Integer => "Bigint",
        ColumnType.Real => "Double",
        ColumnType.Boolean => "Boolean",
        ColumnType.Blob => "Bytea",
        ColumnType.Timestamp => "TimestampTz",
        ColumnType.Date => "Date",
        ColumnType.Json => "Jsonb",
        _ => "Uuid",
    };

    /// <summary>An expression reading column <paramref name="ordinal"/> of an NpgsqlDataReader named <c>reader</c>.</summary>
    public static string PostgresRead(ColumnSpec column, int ordinal)
    {
        var o = ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var read = column.Type switch
        {
            ColumnType.Text or ColumnType.Json => $"reader.GetString({o})",
            ColumnType.Integer => $"reader.GetInt64({o})",
            ColumnType.Real => $"reader.GetDouble({o})",
            ColumnType.Boolean => $"reader.GetBoolean({o})",
            ColumnType.Uuid => $"reader.GetGuid({o})",
            _ => $"reader.GetFieldValue<{ClrType(column.Type)}>({o})",
        };
        return column.Nullable ? $"reader.IsDBNull({o}) ? null : {read}" : read;
    }

    /// <summary>The value to bind for Npgsql: timestamps in UTC (timestamptz takes only offset 0), nulls as DBNull.</summary>
    public static string PostgresBind(ColumnSpec column, string value) => column.Type switch
    {
        ColumnType.Timestamp => $"{PgValues}.Timestamp({value})",
        _ when column.Nullable => $"{PgValues}.Value({value})",
        _ => value,
    };

    private const string PgValues = "global::Filix.Runtime.Postgres.PostgresValues";
}

using Filix.Generators.Model;
using Filix.Generators.Sql;

namespace Filix.Generators.Emit;

/// <summary>
/// The C# side of the type map: each portable type's CLR type, and how generated code reads and binds it with
/// Microsoft.Data.Sqlite (typed getters, constant ordinals) and Npgsql (native types). The SQL types, and the
/// NpgsqlDbType that goes with each Postgres type, live with their dialect (<see cref="PostgresDialect"/>).
/// </summary>
internal static class CSharpTypes
{
    private const string Values = "global::Filix.Runtime.Sqlite.SqliteValues";
    private const string PgValues = "global::Filix.Runtime.Postgres.PostgresValues";

    public static string ClrType(ColumnType type) => type switch
    {
        ColumnType.Text or ColumnType.Json => "string",
        ColumnType.Integer => "long",
        ColumnType.Real => "double",
        ColumnType.Boolean => "bool",
        ColumnType.Blob => "byte[]",
        ColumnType.Timestamp => "global::System.DateTimeOffset",
        ColumnType.Date => "global::System.DateOnly",
        ColumnType.Uuid => "global::System.Guid",
        _ => throw Unhandled.Value(type),
    };

    public static string PropertyType(ColumnSpec column) => ClrType(column.Type) + (column.Nullable ? "?" : string.Empty);

    /// <summary>An expression reading column <paramref name="ordinal"/> of a SqliteDataReader named <c>reader</c>.</summary>
    public static string SqliteRead(ColumnSpec column, int ordinal) => Read(column, ordinal, sqlite: true);

    /// <summary>An expression reading column <paramref name="ordinal"/> of an NpgsqlDataReader named <c>reader</c>.</summary>
    public static string PostgresRead(ColumnSpec column, int ordinal) => Read(column, ordinal, sqlite: false);

    /// <summary>The one read map: a typed getter where the driver has one for the type, else the runtime's
    /// reader for SQLite's text forms (SQLite) or <c>GetFieldValue</c> (Npgsql); a null check if nullable.</summary>
    private static string Read(ColumnSpec column, int ordinal, bool sqlite)
    {
        var o = ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var read = column.Type switch
        {
            ColumnType.Text or ColumnType.Json => $"reader.GetString({o})",
            ColumnType.Integer => $"reader.GetInt64({o})",
            ColumnType.Real => $"reader.GetDouble({o})",
            ColumnType.Boolean => sqlite ? $"{Values}.ReadBoolean(reader, {o})" : $"reader.GetBoolean({o})",
            ColumnType.Uuid => sqlite ? $"{Values}.ReadUuid(reader, {o})" : $"reader.GetGuid({o})",
            ColumnType.Blob => sqlite ? $"{Values}.ReadBlob(reader, {o})" : FieldValue(column.Type, o),
            ColumnType.Timestamp => sqlite ? $"{Values}.ReadTimestamp(reader, {o})" : FieldValue(column.Type, o),
            ColumnType.Date => sqlite ? $"{Values}.ReadDate(reader, {o})" : FieldValue(column.Type, o),
            _ => throw Unhandled.Value(column.Type),
        };
        return column.Nullable ? $"reader.IsDBNull({o}) ? null : {read}" : read;

        static string FieldValue(ColumnType type, string o) => $"reader.GetFieldValue<{ClrType(type)}>({o})";
    }

    /// <summary>An expression giving the value to bind for <paramref name="value"/> (a C# expression of the
    /// column's type) as Microsoft.Data.Sqlite expects it.</summary>
    public static string SqliteBind(ColumnSpec column, string value) => column.Type switch
    {
        ColumnType.Boolean => $"{Values}.Boolean({value})",
        ColumnType.Timestamp => $"{Values}.Timestamp({value})",
        ColumnType.Date => $"{Values}.Date({value})",
        ColumnType.Uuid => $"{Values}.Uuid({value})",
        ColumnType.Text or ColumnType.Integer or ColumnType.Real or ColumnType.Blob or ColumnType.Json
            => column.Nullable ? $"{Values}.Value({value})" : value,
        _ => throw Unhandled.Value(column.Type),
    };

    /// <summary>The <c>NpgsqlDbType</c> a parameter of <paramref name="type"/> is declared with.</summary>
    public static string NpgsqlDbType(ColumnType type) => "global::NpgsqlTypes.NpgsqlDbType." + PostgresDialect.NpgsqlDbType(type);

    /// <summary>The value to bind for Npgsql: timestamps in UTC (timestamptz takes only offset 0), nulls as DBNull.</summary>
    public static string PostgresBind(ColumnSpec column, string value) => column.Type switch
    {
        ColumnType.Timestamp => $"{PgValues}.Timestamp({value})",
        ColumnType.Text or ColumnType.Integer or ColumnType.Real or ColumnType.Boolean or ColumnType.Blob
            or ColumnType.Date or ColumnType.Json or ColumnType.Uuid => column.Nullable ? $"{PgValues}.Value({value})" : value,
        _ => throw Unhandled.Value(column.Type),
    };
}

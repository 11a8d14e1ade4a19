using Filix.Generators.Model;

namespace Filix.Generators.Sql;

/// <summary>Postgres, the shared upstream: native types for every portable type (timestamptz, date, jsonb, uuid).</summary>
internal sealed class PostgresDialect : SqlDialect
{
    /// <summary>The one Postgres type map: each portable type's SQL type, and the <c>NpgsqlDbType</c> member
    /// generated code binds it with (so the two cannot disagree).</summary>
    private static (string Sql, string Npgsql) Types(ColumnType type) => type switch
    {
        ColumnType.Text => ("text", "Text"),
        ColumnType.Integer => ("bigint", "Bigint"),
        ColumnType.Real => ("double precision", "Double"),
        ColumnType.Boolean => ("boolean", "Boolean"),
        ColumnType.Blob => ("bytea", "Bytea"),
        ColumnType.Timestamp => ("timestamptz", "TimestampTz"),
        ColumnType.Date => ("date", "Date"),
        ColumnType.Json => ("jsonb", "Jsonb"),
        ColumnType.Uuid => ("uuid", "Uuid"),
        _ => throw Unhandled.Value(type),
    };

    public override string TypeName(ColumnType type) => Types(type).Sql;

    /// <summary>The <c>NpgsqlTypes.NpgsqlDbType</c> member for <paramref name="type"/> (its name only).</summary>
    public static string NpgsqlDbType(ColumnType type) => Types(type).Npgsql;

    public override string Parameter(int index) => "$" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string NullSafeEquals => "IS NOT DISTINCT FROM";

    public override string DefaultExpression(ColumnType type, DefaultValue value) => (type, value.Kind) switch
    {
        (_, DefaultKind.Now) => "now()",
        (_, DefaultKind.Today) => "CURRENT_DATE",
        (ColumnType.Boolean or ColumnType.Integer, _) => value.Value,
        (ColumnType.Real, _) => Number(value.Value),
        (ColumnType.Text or ColumnType.Blob or ColumnType.Timestamp or ColumnType.Date or ColumnType.Json or ColumnType.Uuid, _)
            => Literal(value.Value) + "::" + TypeName(type),
        _ => throw Unhandled.Value(type),
    };

    public override string ForeignKeyOptions => " DEFERRABLE INITIALLY DEFERRED";
}

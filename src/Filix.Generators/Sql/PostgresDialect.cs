using Filix.Generators.Model;

namespace Filix.Generators.Sql;

/// <summary>Postgres, the shared upstream: native types for every portable type (timestamptz, date, jsonb, uuid).</summary>
internal sealed class PostgresDialect : SqlDialect
{
    public override string TypeName(ColumnType type) => type switch
    {
        ColumnType.Text => "text",
        ColumnType.Integer => "bigint",
        ColumnType.Real => "double precision",
        ColumnType.Boolean => "boolean",
        ColumnType.Blob => "bytea",
        ColumnType.Timestamp => "timestamptz",
        ColumnType.Date => "date",
        ColumnType.Json => "jsonb",
        _ => "uuid",
    };

    public override string Parameter(int index) => "$" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string NullSafeEquals => "IS NOT DISTINCT FROM";

    public override string DefaultExpression(ColumnType type, DefaultValue value) => (type, value.Kind) switch
    {
        (_, DefaultKind.Now) => "now()",
        (_, DefaultKind.Today) => "CURRENT_DATE",
        (ColumnType.Boolean or ColumnType.Integer, _) => value.Value,
        (ColumnType.Real, _) => Number(value.Value),
        _ => Literal(value.Value) + "::" + TypeName(type),
    };

    public override string ForeignKeyOptions => " DEFERRABLE INITIALLY DEFERRED";
}

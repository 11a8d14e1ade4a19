using Filix.Generators.Model;

namespace Filix.Generators.Sql;

/// <summary>
/// SQLite: STRICT tables, so a column holds only its declared storage class. Portable types without a native
/// SQLite type keep a stable, sortable, human-readable text form (timestamps as fixed-width ISO-8601 UTC with
/// 7 fractional digits, dates as yyyy-MM-dd, UUIDs in lower-case 'D' form) that the runtime reads and writes.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    public override string TypeName(ColumnType type) => type switch
    {
        ColumnType.Integer or ColumnType.Boolean => "INTEGER",
        ColumnType.Real => "REAL",
        ColumnType.Blob => "BLOB",
        ColumnType.Text or ColumnType.Timestamp or ColumnType.Date or ColumnType.Json or ColumnType.Uuid => "TEXT",
        _ => throw Unhandled.Value(type),
    };

    public override string Parameter(int index) => "$p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string NullSafeEquals => "IS";

    public override string DefaultExpression(ColumnType type, DefaultValue value) => (type, value.Kind) switch
    {
        // strftime's %f is "SS.SSS": pad to the runtime's 7 fractional digits so stored times sort as text.
        (_, DefaultKind.Now) => "(strftime('%Y-%m-%dT%H:%M:%f0000Z', 'now'))",
        (_, DefaultKind.Today) => "(date('now'))",
        (ColumnType.Boolean, _) => value.Value == "true" ? "1" : "0",
        (ColumnType.Integer, _) => value.Value,
        (ColumnType.Real, _) => Number(value.Value),
        (ColumnType.Text or ColumnType.Blob or ColumnType.Timestamp or ColumnType.Date or ColumnType.Json or ColumnType.Uuid, _)
            => Literal(value.Value),
        _ => throw Unhandled.Value(type),
    };

    public override string? Check(ColumnSpec column) => column.Type switch
    {
        ColumnType.Boolean => $"{Quote(column.Name)} IN (0, 1)",
        ColumnType.Json => $"json_valid({Quote(column.Name)})",
        ColumnType.Text or ColumnType.Integer or ColumnType.Real or ColumnType.Blob or ColumnType.Timestamp
            or ColumnType.Date or ColumnType.Uuid => null,
        _ => throw Unhandled.Value(column.Type),
    };

    public override string TableOptions => " STRICT";
}

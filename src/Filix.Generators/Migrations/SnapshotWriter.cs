using System.Globalization;
using System.Linq;
using System.Text;
using Filix.Generators.Model;
using Filix.Generators.Parsing;

namespace Filix.Generators.Migrations;

/// <summary>
/// Writes the recorded schema state after a migration as JSON. The JSON is shaped as a schema file (JSON is YAML),
/// so the same <see cref="Parsing.SchemaParser"/> reads it back: there is no second reader to drift from the first.
/// Everything is spelled out (nullable, unique, key, index names), and <c>renamed_from</c> is left out: a snapshot
/// is a state, not a change.
/// </summary>
internal static class SnapshotWriter
{
    public static string Write(DomainSpec domain)
    {
        var sb = new StringBuilder();
        sb.Append("{\n  \"domain\": ").Append(Str(domain.Name)).Append(",\n  \"description\": ").Append(Str(domain.Description)).Append(",\n  \"tables\": {");
        var firstTable = true;
        foreach (var table in domain.Tables)
        {
            sb.Append(firstTable ? "\n" : ",\n");
            firstTable = false;
            sb.Append("    ").Append(Str(table.Name)).Append(": {\n");
            sb.Append("      \"sync\": ").Append(Str(SyncTags.Name(table.Sync))).Append(",\n");
            sb.Append("      \"record\": ").Append(Str(table.RecordName)).Append(",\n");
            sb.Append("      \"description\": ").Append(Str(table.Description)).Append(",\n");
            sb.Append("      \"primary_key\": ").Append(List(table.PrimaryKey)).Append(",\n");
            sb.Append("      \"columns\": {");
            var firstColumn = true;
            foreach (var column in table.Columns)
            {
                sb.Append(firstColumn ? "\n" : ",\n");
                firstColumn = false;
                sb.Append("        ").Append(Str(column.Name)).Append(": { \"type\": ").Append(Str(TypeNames.Name(column.Type)))
                  .Append(", \"nullable\": ").Append(Bool(column.Nullable))
                  .Append(", \"unique\": ").Append(Bool(column.Unique));
                if (column.Default is { } value)
                {
                    sb.Append(", \"default\": ").Append(Default(column.Type, value));
                }

                if (column.References is { } reference)
                {
                    sb.Append(", \"references\": ").Append(Str(reference.Table + "." + reference.Column));
                }

                sb.Append(", \"description\": ").Append(Str(column.Description)).Append(" }");
            }

            sb.Append("\n      }");
            if (table.Indexes.Count > 0)
            {
                sb.Append(",\n      \"indexes\": [\n");
                sb.Append(string.Join(",\n", table.Indexes.Select(i =>
                    $"        {{ \"name\": {Str(i.Name)}, \"columns\": {List(i.Columns)}, \"unique\": {Bool(i.Unique)} }}")));
                sb.Append("\n      ]");
            }

            sb.Append("\n    }");
        }

        sb.Append("\n  }\n}\n");
        return sb.ToString();
    }

    // Numbers and booleans stay plain (unquoted), as the parser wants them; everything else is a JSON string.
    private static string Default(ColumnType type, DefaultValue value) => (type, value.Kind) switch
    {
        (_, DefaultKind.Now) => Str("now"),
        (_, DefaultKind.Today) => Str("today"),
        (ColumnType.Boolean or ColumnType.Integer or ColumnType.Real, _) => value.Value,
        (ColumnType.Text or ColumnType.Blob or ColumnType.Timestamp or ColumnType.Date or ColumnType.Json or ColumnType.Uuid, _)
            => Str(value.Value),
        _ => throw Unhandled.Value(type),
    };

    private static string Bool(bool value) => value ? "true" : "false";

    private static string List(EquatableArray<string> names) => "[" + string.Join(", ", names.Select(Str)) + "]";

    private static string Str(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}

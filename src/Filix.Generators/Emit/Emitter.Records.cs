using Filix.Generators.Model;
using Filix.Generators.Parsing;

namespace Filix.Generators.Emit;

internal static partial class Emitter
{
    /// <summary>An immutable record per table. Columns without a default and not nullable are <c>required</c>;
    /// defaults from YAML become property initializers, so <c>new Event { ... }</c> matches what the database
    /// would fill in.</summary>
    private static string EmitRecord(DomainSpec domain, TableSpec table)
    {
        var w = Begin(domain);
        w.WriteSummary(table.Description.Length > 0 ? table.Description : $"A row of the '{table.Name}' table.");
        WriteGeneratedCode(w);
        using (w.Open($"public sealed partial record {table.RecordName}"))
        {
            var first = true;
            foreach (var column in table.Columns)
            {
                if (!first)
                {
                    w.WriteLine();
                }

                first = false;
                w.WriteSummary(column.Description.Length > 0 ? column.Description : $"Column '{column.Name}' ({TypeNames.Name(column.Type)}{(column.Nullable ? ", nullable" : string.Empty)}).");
                var required = !column.Nullable && column.Default is null ? "required " : string.Empty;
                var initializer = column.Default is { } value ? " = " + DefaultInitializer(column, value) + ";" : string.Empty;
                w.WriteLine($"public {required}{CSharpTypes.PropertyType(column)} {column.PropertyName} {{ get; init; }}{initializer}");
            }
        }

        return w.ToString();
    }

    private static string DefaultInitializer(ColumnSpec column, DefaultValue value)
    {
        if (value.Kind == DefaultKind.Now)
        {
            return "global::Filix.Runtime.FilixTimestamp.UtcNow";
        }

        if (value.Kind == DefaultKind.Today)
        {
            return "global::System.DateOnly.FromDateTime(global::System.DateTime.UtcNow)";
        }

        return column.Type switch
        {
            ColumnType.Integer => value.Value + "L",
            ColumnType.Real => value.Value.Contains(".") || value.Value.Contains("E") ? value.Value : value.Value + ".0",
            ColumnType.Boolean => value.Value,
            ColumnType.Timestamp => $"global::Filix.Runtime.Sqlite.SqliteValues.ParseTimestamp({SourceWriter.Literal(value.Value)})",
            ColumnType.Date => $"global::System.DateOnly.ParseExact({SourceWriter.Literal(value.Value)}, \"yyyy-MM-dd\", global::System.Globalization.CultureInfo.InvariantCulture)",
            ColumnType.Uuid => $"new global::System.Guid({SourceWriter.Literal(value.Value)})",
            ColumnType.Text or ColumnType.Json => SourceWriter.Literal(value.Value),
            ColumnType.Blob => throw new System.InvalidOperationException("Blob columns have no default (the parser reports one)."),
            _ => throw Unhandled.Value(column.Type),
        };
    }
}

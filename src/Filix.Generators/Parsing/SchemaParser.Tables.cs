using Filix.Generators.Model;
using D = Filix.Generators.Diagnostics.DiagnosticDescriptors;

namespace Filix.Generators.Parsing;

internal sealed partial class SchemaParser
{
    private TableDraft? ReadTable(YScalar name, YNode value)
    {
        var table = new TableDraft { Name = name.Value, Span = name.Span };
        if (value is not YMapping map)
        {
            Report(D.WrongNodeKind, value.Span, name.Value, "a table definition (a mapping with 'sync' and 'columns')", value.KindName, string.Empty);
            return null;
        }

        var where = $"table '{name.Value}'";
        foreach (var (key, item) in Pairs(map, TableKeys, where))
        {
            switch (key.Value)
            {
                case "sync":
                    table.Sync = ReadSync(name.Value, item);
                    break;
                case "description":
                    table.Description = Scalar(key, item, "text") ?? string.Empty;
                    break;
                case "record":
                    table.RecordName = Scalar(key, item, "a C# type name such as 'Person'");
                    table.RecordSpan = item.Span;
                    break;
                case "columns":
                    ReadColumns(table, key, item);
                    break;
                case "primary_key":
                    table.PrimaryKey = NameList(key, item);
                    table.PrimaryKeySpan = key.Span;
                    break;
                case "indexes":
                    ReadIndexes(table, key, item);
                    break;
                case "renamed_from":
                    table.RenamedFrom = Scalar(key, item, "the table's previous name");
                    break;
            }
        }

        if (!Has(map, "sync"))
        {
            Report(D.MissingKey, name.Span, where, "sync", "Add 'sync: sync' (always shared), 'sync: local' (never leaves this machine) or 'sync: optional'.");
        }

        if (!Has(map, "columns"))
        {
            Report(D.MissingKey, name.Span, where, "columns", "Add a 'columns:' mapping from column name to its type.");
        }

        return table;
    }

    private SyncMode? ReadSync(string table, YNode value)
    {
        if (SyncTags.TryParse((value as YScalar)?.Value, out var mode))
        {
            return mode;
        }

        Report(D.InvalidSyncTag, value.Span, table, value is YScalar s ? s.Value : value.KindName);
        return null;
    }

    private void ReadColumns(TableDraft table, YScalar key, YNode value)
    {
        if (value is not YMapping map || map.Pairs.Count == 0)
        {
            Report(D.WrongNodeKind, value.Span, key.Value, "a mapping from column name to its definition, such as 'name: { type: text }'", value is YMapping ? "an empty mapping" : value.KindName, string.Empty);
            return;
        }

        foreach (var (name, definition) in Pairs(map, null, $"the columns of table '{table.Name}'"))
        {
            table.Columns.Add(ReadColumn(table.Name, name, definition));
        }
    }

    /// <summary>The column as declared; one whose definition has an error is <see cref="ColumnDraft.Broken"/>, not
    /// left out, so keys, indexes and references naming it do not add "no such column" to the real mistake.</summary>
    private ColumnDraft ReadColumn(string table, YScalar name, YNode value)
    {
        var column = new ColumnDraft { Name = name.Value, Span = name.Span };

        // Shorthand: 'title: text' is a NOT NULL text column.
        if (value is YScalar shorthand && !shorthand.IsNull)
        {
            column.Broken = !ReadType(column, shorthand);
            return column;
        }

        if (value is not YMapping map)
        {
            Report(D.WrongNodeKind, value.Span, name.Value, "a column type such as 'text' or a mapping such as '{ type: text, nullable: true }'", value.KindName, string.Empty);
            column.Broken = true;
            return column;
        }

        YNode? defaultNode = null;
        var typed = false;
        foreach (var (key, item) in Pairs(map, ColumnKeys, $"column '{table}.{name.Value}'"))
        {
            switch (key.Value)
            {
                case "type":
                    typed = item is YScalar typeName && !typeName.IsNull
                        ? ReadType(column, typeName)
                        : Fail(D.WrongNodeKind, item.Span, "type", "a type name", item.KindName, string.Empty);
                    break;
                case "nullable":
                    column.Nullable = Boolean(key, item) ?? false;
                    break;
                case "unique":
                    column.Unique = Boolean(key, item) ?? false;
                    break;
                case "primary_key":
                    column.PrimaryKey = Boolean(key, item) ?? false;
                    break;
                case "references":
                    column.References = Scalar(key, item, "'table.column'");
                    column.ReferencesSpan = item.Span;
                    break;
                case "description":
                    column.Description = Scalar(key, item, "text") ?? string.Empty;
                    break;
                case "default":
                    defaultNode = item;
                    break;
                case "renamed_from":
                    column.RenamedFrom = Scalar(key, item, "the column's previous name");
                    break;
            }
        }

        if (!Has(map, "type"))
        {
            Report(D.MissingKey, name.Span, $"column '{table}.{name.Value}'", "type", "Add 'type: <type>' with one of: " + string.Join(", ", TypeNames.All) + ".");
            column.Broken = true;
            return column;
        }

        if (!typed)
        {
            column.Broken = true;
            return column;
        }

        if (defaultNode is not null)
        {
            ReadDefault(column, defaultNode);
        }

        return column;
    }

    private bool ReadType(ColumnDraft column, YScalar typeName)
    {
        if (TypeNames.TryParse(typeName.Value, out var type))
        {
            column.Type = type;
            return true;
        }

        Report(D.UnknownType, typeName.Span, column.Name, typeName.Value, Naming.DidYouMean(typeName.Value, TypeNames.All), string.Join(", ", TypeNames.All));
        return false;
    }

    private void ReadDefault(ColumnDraft column, YNode node)
    {
        var typeName = TypeNames.Name(column.Type);
        switch (node)
        {
            case YScalar { IsNull: true }:
                if (!column.Nullable)
                {
                    Report(D.InvalidDefault, node.Span, "null", column.Name, typeName, "the column is not nullable; add 'nullable: true' or give a value");
                }

                return;
            case YScalar scalar:
                column.Default = TypeNames.ParseDefault(column.Type, scalar.Value, scalar.IsPlain, out var error);
                if (error is not null)
                {
                    Report(D.InvalidDefault, node.Span, scalar.Value, column.Name, typeName, error);
                }

                return;
            case YSequence { Items.Count: 0 } when column.Type == ColumnType.Json:
                column.Default = new DefaultValue(DefaultKind.Literal, "[]");
                return;
            case YMapping { Pairs.Count: 0 } when column.Type == ColumnType.Json:
                column.Default = new DefaultValue(DefaultKind.Literal, "{}");
                return;
            default:
                Report(D.InvalidDefault, node.Span, node.KindName, column.Name, typeName, "a default is a single value; quote JSON defaults, such as '{\"a\": 1}'");
                return;
        }
    }

    private void ReadIndexes(TableDraft table, YScalar key, YNode value)
    {
        if (value is not YSequence seq)
        {
            Report(D.WrongNodeKind, value.Span, key.Value, "a list of indexes such as '- [role]' or '- { columns: [a, b], unique: true }'", value.KindName, string.Empty);
            return;
        }

        foreach (var item in seq.Items)
        {
            var index = new IndexDraft { Span = item.Span };
            if (item is YMapping map)
            {
                foreach (var (indexKey, indexValue) in Pairs(map, IndexKeys, $"an index of table '{table.Name}'"))
                {
                    switch (indexKey.Value)
                    {
                        case "columns":
                            index.Columns.AddRange(NameList(indexKey, indexValue) ?? new());
                            break;
                        case "unique":
                            index.Unique = Boolean(indexKey, indexValue) ?? false;
                            break;
                        case "name":
                            index.Name = Scalar(indexKey, indexValue, "an index name");
                            index.NameSpan = indexValue.Span;
                            break;
                    }
                }

                if (!Has(map, "columns"))
                {
                    Report(D.MissingKey, item.Span, $"an index of table '{table.Name}'", "columns", "Add 'columns: [a, b]'.");
                    continue;
                }
            }
            else
            {
                index.Columns.AddRange(NameList(key, item) ?? new());
            }

            if (index.Columns.Count > 0)
            {
                table.Indexes.Add(index);
            }
        }
    }

    private bool Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceSpan span, params string[] args)
    {
        Report(descriptor, span, args);
        return false;
    }
}

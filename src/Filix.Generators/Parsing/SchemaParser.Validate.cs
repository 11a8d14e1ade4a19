using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Filix.Generators.Model;
using D = Filix.Generators.Diagnostics.DiagnosticDescriptors;

namespace Filix.Generators.Parsing;

// Checks that span tables (names, keys, indexes, references, sync tags) and builds the immutable spec.
internal sealed partial class SchemaParser
{
    /// <summary>Members every C# record already has; a column whose property would clash gets a "Value" suffix.</summary>
    private static readonly HashSet<string> RecordMembers = new(StringComparer.Ordinal)
    {
        "Equals", "GetHashCode", "ToString", "GetType", "Deconstruct", "EqualityContract", "PrintMembers", "Clone", "MemberwiseClone",
    };

    /// <summary>Record names whose file would be one of the domain's own, <c>&lt;Domain&gt;.Schema.g.cs</c> and so on.</summary>
    private static readonly HashSet<string> ReservedRecordNames = new(StringComparer.OrdinalIgnoreCase) { "Schema", "Database", "Migrations" };

    /// <summary>Members of the generated database class (and of every class), which a table's property cannot take.</summary>
    private static readonly Dictionary<string, string> DatabaseMembers = new(StringComparer.Ordinal)
    {
        ["FileName"] = "the database file name constant",
        ["Database"] = "the property holding the underlying FilixDatabase",
        ["OpenAsync"] = "the method that opens the database",
        ["OpenInFolderAsync"] = "the method that opens the database in a data folder",
        ["Dispose"] = "the Dispose method",
        ["DisposeAsync"] = "the DisposeAsync method",
        ["Equals"] = "a member every class has",
        ["GetHashCode"] = "a member every class has",
        ["ToString"] = "a member every class has",
        ["GetType"] = "a member every class has",
        ["MemberwiseClone"] = "a member every class has",
        ["ReferenceEquals"] = "a member every class has",
        ["Finalize"] = "a member every class has",
    };

    private DomainSpec? Validate(DomainDraft draft, string rootNamespace)
    {
        if (draft.Name.Length > 0 && !Naming.IsValidIdentifier(draft.Name))
        {
            ReportInvalidName(draft.NameSpan, draft.Name, "domain", string.Empty);
        }
        else if (draft.Name.StartsWith("pg_", StringComparison.Ordinal))
        {
            // The domain's shared tables live upstream in the Postgres schema of its name, and Postgres refuses those.
            ReportInvalidName(draft.NameSpan, draft.Name, "domain", "; names starting with 'pg_' are reserved by Postgres for its own schemas, and a domain's shared tables live in the Postgres schema named after it");
        }

        var tables = new Dictionary<string, TableDraft>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in draft.Tables)
        {
            if (!Naming.IsValidIdentifier(table.Name))
            {
                ReportInvalidName(table.Span, table.Name, "table", table.Name.StartsWith("sqlite_", StringComparison.Ordinal) || table.Name.StartsWith("_filix", StringComparison.Ordinal) ? "; names starting with 'sqlite_' or '_filix' are reserved" : string.Empty);
            }

            if (tables.TryGetValue(table.Name, out var first))
            {
                Report(D.DuplicateTable, table.Span, table.Name, draft.Name, Line(first.Span));
                continue;
            }

            tables.Add(table.Name, table);
        }

        var schemaNames = SchemaNames(tables.Values);
        var specs = new List<TableSpec>();
        foreach (var table in tables.Values)
        {
            var spec = ValidateTable(table, tables, schemaNames);
            if (spec is not null)
            {
                specs.Add(spec);
            }
        }

        ValidateGeneratedNames(draft, tables.Values);

        var typeName = Naming.ToPascalCase(draft.Name);
        return new DomainSpec
        {
            Name = draft.Name,
            TypeName = typeName,
            Namespace = draft.Namespace ?? (string.IsNullOrEmpty(rootNamespace) ? typeName : rootNamespace + "." + typeName),
            Description = draft.Description,
            SourcePath = _path,
            Tables = specs.ToEquatableArray(),
            AllowDestructive = draft.AllowDestructive.ToEquatableArray(),
        };
    }

    /// <summary>
    /// The names taken in the database's one namespace of tables and indexes (SQLite and Postgres alike), which
    /// <see cref="ValidateIndexes"/> adds each index to: the tables, and the indexes Postgres creates and names
    /// itself for a primary key (<c>&lt;table&gt;_pkey</c>) and a unique column (<c>&lt;table&gt;_&lt;column&gt;_key</c>).
    /// </summary>
    private static Dictionary<string, (string What, SourceSpan Span)> SchemaNames(ICollection<TableDraft> tables)
    {
        var names = new Dictionary<string, (string What, SourceSpan Span)>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in tables)
        {
            names[table.Name] = ("table '" + table.Name + "'", table.Span);
        }

        foreach (var table in tables)
        {
            var implicitNames = table.Columns.Where(c => c.Unique)
                .Select(c => ($"{table.Name}_{c.Name}_key", $"the index Postgres creates for unique column '{table.Name}.{c.Name}'", c.Span))
                .Prepend((table.Name + "_pkey", $"the index Postgres creates for the primary key of table '{table.Name}'", table.Span));
            foreach (var (name, what, span) in implicitNames)
            {
                if (!names.ContainsKey(name))
                {
                    names.Add(name, (what, span));
                }
            }
        }

        return names;
    }

    private TableSpec? ValidateTable(TableDraft table, Dictionary<string, TableDraft> tables, Dictionary<string, (string What, SourceSpan Span)> schemaNames)
    {
        var recordName = RecordName(table);
        if (table.RecordName is not null && !IsCSharpTypeName(table.RecordName))
        {
            Report(D.InvalidValue, table.RecordSpan!, "record", "a C# type name in PascalCase such as 'Person'", table.RecordName);
        }

        // No column was read: the reason (no 'columns', not a mapping) is already reported, and key or index
        // checks against an empty table would only add noise.
        if (table.Columns.Count == 0)
        {
            return null;
        }

        // A column with a reported mistake (a broken definition, an invalid name) still exists for the checks of
        // keys, indexes and references below; the table just gets no spec.
        var complete = true;
        var columns = new Dictionary<string, ColumnDraft>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, ColumnDraft>(StringComparer.OrdinalIgnoreCase);
        var properties = new Dictionary<string, ColumnDraft>(StringComparer.Ordinal);
        var columnSpecs = new List<ColumnSpec>();
        foreach (var column in table.Columns)
        {
            // An invalid name is still checked for clashes: 'Name' next to 'name' gets both errors in one pass.
            var valid = Naming.IsValidIdentifier(column.Name);
            if (!valid)
            {
                ReportInvalidName(column.Span, column.Name, "column", string.Empty);
            }

            var property = PropertyName(column.Name, recordName);
            if (names.TryGetValue(column.Name, out var clash))
            {
                var reason = clash.Name == column.Name ? "the table declares it twice" : "SQL names are case-insensitive";
                Report(D.DuplicateColumn, column.Span, column.Name, table.Name, clash.Name, Line(clash.Span), reason);
                continue;
            }

            if (properties.TryGetValue(property, out clash))
            {
                Report(D.DuplicateColumn, column.Span, column.Name, table.Name, clash.Name, Line(clash.Span), $"both become the C# property '{property}'");
                continue;
            }

            names.Add(column.Name, column);
            properties.Add(property, column);
            columns.Add(column.Name, column);
            complete &= valid && !column.Broken;
        }

        var primaryKey = ValidatePrimaryKey(table, columns);
        foreach (var column in columns.Values)
        {
            if (column.Nullable && primaryKey.Contains(column.Name, StringComparer.Ordinal))
            {
                Report(D.NullablePrimaryKey, column.Span, column.Name, table.Name);
            }

            // Sync names a row by its key as SQLite's json_array of the key values (the same text on every
            // machine), and JSON has no blobs: json_array fails on one, so no write to the table could be captured.
            if (column.Type == ColumnType.Blob && !column.Broken && table.Sync is SyncMode.Sync or SyncMode.Optional && primaryKey.Contains(column.Name, StringComparer.Ordinal))
            {
                Report(D.SharedBlobKey, column.Span, column.Name, table.Name, SyncTags.Name(table.Sync.Value));
            }

            var reference = ValidateReference(table, column, tables);
            if (column.Broken || !Naming.IsValidIdentifier(column.Name))
            {
                continue;
            }

            columnSpecs.Add(new ColumnSpec
            {
                Name = column.Name,
                PropertyName = PropertyName(column.Name, recordName),
                Type = column.Type,
                Nullable = column.Nullable,
                Default = column.Default,
                Unique = column.Unique,
                References = reference,
                Description = column.Description,
                RenamedFrom = column.RenamedFrom,
            });
        }

        var indexes = ValidateIndexes(table, columns, schemaNames);
        if (table.Sync is null || primaryKey.Count == 0 || !complete)
        {
            return null;
        }

        var lookups = PlanLookups(table, columns, columnSpecs, primaryKey, indexes);

        return new TableSpec
        {
            Name = table.Name,
            RecordName = recordName,
            PluralName = Naming.ToPascalCase(table.Name),
            Description = table.Description,
            Sync = table.Sync.Value,
            Columns = columnSpecs.ToEquatableArray(),
            PrimaryKey = primaryKey.ToEquatableArray(),
            Indexes = indexes.Select(i => i.Spec).ToEquatableArray(),
            Lookups = lookups.ToEquatableArray(),
            RenamedFrom = table.RenamedFrom,
        };
    }

    private static string RecordName(TableDraft table) => table.RecordName ?? Naming.ToPascalCase(Naming.Singularize(table.Name));

    /// <summary>
    /// The C# names a domain generates must be distinct: a clash is a duplicate hint name (the generator fails
    /// with CS8785) or code that does not compile. Types share the domain's namespace and each is a file
    /// <c>&lt;Domain&gt;.&lt;Type&gt;.g.cs</c>, so they are compared ignoring case as hint names are; a table's
    /// property must not take a member the database class already has.
    /// </summary>
    private void ValidateGeneratedNames(DomainDraft draft, IEnumerable<TableDraft> tables)
    {
        var domainType = Naming.ToPascalCase(draft.Name);
        var databaseType = domainType + "Database";
        var types = new Dictionary<string, (string What, TableDraft? Owner, bool IsRecord)>(StringComparer.OrdinalIgnoreCase)
        {
            [domainType + "Schema"] = ("the domain's schema class", null, false),
            [databaseType] = ("the domain's database class", null, false),
        };

        foreach (var table in tables.Where(t => Naming.IsValidIdentifier(t.Name)))
        {
            var record = RecordName(table);
            var plural = Naming.ToPascalCase(table.Name);
            if (table.RecordName is null || IsCSharpTypeName(table.RecordName))
            {
                var recordSpan = table.RecordSpan ?? table.Span;
                if (ReservedRecordNames.Contains(record))
                {
                    Report(D.GeneratedNameClash, recordSpan, table.Name, record, "its record type",
                        $"is reserved: the domain's own file is {domainType}.{record}.g.cs", $"Set 'record: <OtherName>' on table '{table.Name}'.");
                }
                else
                {
                    ClaimType(types, table, record, "record type", recordSpan, isRecord: true);
                }
            }

            ClaimType(types, table, plural + "Table", "repository type", table.Span, isRecord: false);
            if (table.Sync is not SyncMode.Local)
            {
                ClaimType(types, table, plural + "Upstream", "upstream adapter type", table.Span, isRecord: false);
            }

            var taken = plural == databaseType ? "the name of the class itself"
                : DatabaseMembers.TryGetValue(plural, out var member) ? member
                : null;
            if (taken is not null)
            {
                Report(D.GeneratedNameClash, table.Span, table.Name, plural, $"its property of {databaseType}",
                    $"is taken by {taken}", "Rename the table (its SQL name gives the property name).");
            }
        }
    }

    private void ClaimType(Dictionary<string, (string What, TableDraft? Owner, bool IsRecord)> types, TableDraft table, string name, string what, SourceSpan span, bool isRecord)
    {
        if (!types.TryGetValue(name, out var first))
        {
            types.Add(name, ("the " + what + " of table '" + table.Name + "' (line " + Line(table.Span) + ")", table, isRecord));
            return;
        }

        // The fix is a 'record:' on whichever side's name is a record (both, when two tables give one record name).
        var recordOwner = isRecord ? table.Name : first.IsRecord ? first.Owner!.Name : null;
        var fix = recordOwner is not null
            ? $"Set 'record: <OtherName>' on table '{recordOwner}'{(first.Owner is null ? string.Empty : ", or rename one of the tables")}."
            : first.Owner is null ? $"Rename table '{table.Name}'." : "Rename one of the tables.";
        Report(D.GeneratedNameClash, span, table.Name, name, "its " + what, "is also " + first.What, fix);
    }

    /// <summary>FLX0009, suggesting the lower snake_case form of what the user wrote (<c>RoleType</c> ->
    /// <c>role_type</c>) when that is a valid name.</summary>
    private void ReportInvalidName(SourceSpan span, string name, string kind, string reason)
    {
        var snake = Naming.ToSnakeCase(name);
        var suggestion = snake != name && Naming.IsValidIdentifier(snake) ? $": '{snake}'" : string.Empty;
        Report(D.InvalidIdentifier, span, name, kind, suggestion, reason);
    }

    private static string PropertyName(string column, string recordName)
    {
        var property = Naming.ToPascalCase(column);
        return property == recordName || RecordMembers.Contains(property) ? property + "Value" : property;
    }

    private static bool IsCSharpTypeName(string name) =>
        name.Length > 0 && char.IsUpper(name[0]) && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    private static string Line(SourceSpan span) => (span.StartLine + 1).ToString(CultureInfo.InvariantCulture);
}

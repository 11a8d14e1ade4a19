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

    private List<string> ValidatePrimaryKey(TableDraft table, Dictionary<string, ColumnDraft> columns)
    {
        var marked = table.Columns.Where(c => c.PrimaryKey).ToList();
        if (table.PrimaryKey is not null)
        {
            if (marked.Count > 0)
            {
                Report(D.ConflictingPrimaryKey, marked[0].Span, table.Name, marked[0].Name);
                return new List<string>();
            }

            var keys = new List<string>();
            var seen = new Dictionary<string, SourceSpan>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, span) in table.PrimaryKey)
            {
                if (!columns.TryGetValue(name, out var column))
                {
                    Report(D.UnknownIndexColumn, span, "The primary key", table.Name, name, Naming.DidYouMean(name, columns.Keys), string.Join(", ", columns.Keys));
                    continue;
                }

                if (seen.TryGetValue(column.Name, out var first))
                {
                    Report(D.DuplicateKey, span, column.Name, $"the primary key of table '{table.Name}'", Line(first));
                    continue;
                }

                seen.Add(column.Name, span);
                keys.Add(column.Name);
            }

            return keys.Count == table.PrimaryKey.Count ? keys : new List<string>();
        }

        if (marked.Count == 0)
        {
            Report(D.NoPrimaryKey, table.Span, table.Name);
        }

        return marked.Select(c => c.Name).ToList();
    }

    /// <summary>
    /// The repository's lookups: per unique column, per index and per proper prefix of a composite key (the key
    /// itself has <c>GetAsync</c>), named from the columns' properties. Two that give one name on the same columns
    /// are one lookup (a unique column and a unique index on it); on different columns (a unique column
    /// <c>a_and_b</c> and an index on <c>[a, b]</c>) the second would be a duplicate member, so it is reported.
    /// </summary>
    private List<LookupSpec> PlanLookups(TableDraft table, Dictionary<string, ColumnDraft> columns, List<ColumnSpec> columnSpecs,
        List<string> primaryKey, List<(IndexSpec Spec, SourceSpan Span)> indexes)
    {
        var candidates = new List<(List<string> Columns, bool Unique, string What, SourceSpan Span)>();
        candidates.AddRange(columnSpecs.Where(c => c.Unique).Select(c => (new List<string> { c.Name }, true, $"unique column '{c.Name}'", columns[c.Name].Span)));
        candidates.AddRange(indexes.Select(i => (i.Spec.Columns.ToList(), i.Spec.Unique, $"index '{i.Spec.Name}' on ({string.Join(", ", i.Spec.Columns)})", i.Span)));
        for (var length = 1; length < primaryKey.Count; length++)
        {
            var prefix = primaryKey.Take(length).ToList();
            candidates.Add((prefix, false, $"the primary key prefix ({string.Join(", ", prefix)})", table.PrimaryKeySpan ?? table.Span));
        }

        var properties = columnSpecs.ToDictionary(c => c.Name, c => c.PropertyName, StringComparer.OrdinalIgnoreCase);
        var lookups = new List<LookupSpec>();
        var planned = new Dictionary<string, (List<string> Columns, string What, SourceSpan Span)>(StringComparer.Ordinal);
        foreach (var (names, unique, what, span) in candidates)
        {
            if (names.SequenceEqual(primaryKey))
            {
                continue;
            }

            var name = (unique ? "GetBy" : "FindBy") + string.Join("And", names.Select(n => properties[n]));
            if (planned.TryGetValue(name, out var first))
            {
                if (!first.Columns.SequenceEqual(names))
                {
                    Report(D.GeneratedNameClash, span, table.Name, name + "Async", $"the lookup for {what}",
                        $"is also the lookup for {first.What} (line {Line(first.Span)})",
                        "Rename a column so the two lookups differ.");
                }

                continue;
            }

            planned.Add(name, (names, what, span));
            lookups.Add(new LookupSpec
            {
                Name = name,
                Columns = names.ToEquatableArray(),
                Unique = unique,
                NullableArguments = names.Select(n => !unique && columnSpecs.First(c => c.Name == n).Nullable).ToEquatableArray(),
            });
        }

        return lookups;
    }

    private List<(IndexSpec Spec, SourceSpan Span)> ValidateIndexes(TableDraft table, Dictionary<string, ColumnDraft> columns, Dictionary<string, (string What, SourceSpan Span)> schemaNames)
    {
        var indexes = new List<(IndexSpec Spec, SourceSpan Span)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in table.Indexes)
        {
            var names = new List<string>();
            foreach (var (name, span) in index.Columns)
            {
                if (columns.ContainsKey(name))
                {
                    names.Add(name);
                }
                else
                {
                    Report(D.UnknownIndexColumn, span, "An index", table.Name, name, Naming.DidYouMean(name, columns.Keys), string.Join(", ", columns.Keys));
                }
            }

            if (names.Count != index.Columns.Count)
            {
                continue;
            }

            var indexName = index.Name ?? $"{(index.Unique ? "ux" : "ix")}_{table.Name}_{string.Join("_", names)}";
            if (index.Name is not null && !Naming.IsValidIdentifier(index.Name))
            {
                ReportInvalidName(index.NameSpan ?? index.Span, index.Name, "index", string.Empty);
                continue;
            }

            // A default name is checked like a declared one: Postgres would truncate it and two could collide.
            if (index.Name is null && indexName.Length > Naming.MaxIdentifierLength)
            {
                ReportInvalidName(index.Span, indexName, "index", "; it is this index's default name, so give the index a shorter 'name:'");
                continue;
            }

            if (!seen.Add(string.Join(",", names)))
            {
                Report(D.DuplicateIndex, index.Span, $"Table '{table.Name}' declares an index on ({string.Join(", ", names)}) twice", string.Empty);
                continue;
            }

            if (schemaNames.TryGetValue(indexName, out var first))
            {
                Report(D.DuplicateIndex, index.Span,
                    $"Index '{indexName}' of table '{table.Name}' has the name of {first.What} (line {Line(first.Span)}): tables and indexes share one namespace per database in SQLite and Postgres",
                    index.Name is null ? ", or give this one a 'name:'" : " or rename it");
                continue;
            }

            schemaNames.Add(indexName, ($"index '{indexName}' of table '{table.Name}'", index.Span));

            indexes.Add((new IndexSpec { Name = indexName, Columns = names.ToEquatableArray(), Unique = index.Unique }, index.Span));
        }

        return indexes;
    }

    private ReferenceSpec? ValidateReference(TableDraft table, ColumnDraft column, Dictionary<string, TableDraft> tables)
    {
        if (column.References is null)
        {
            return null;
        }

        var span = column.ReferencesSpan!;
        var dot = column.References.IndexOf('.');
        if (dot <= 0 || dot == column.References.Length - 1)
        {
            Report(D.UnknownReference, span, column.Name, column.References, "it is not of the form 'table.column'");
            return null;
        }

        var targetTable = column.References.Substring(0, dot);
        var targetColumn = column.References.Substring(dot + 1);
        if (!tables.TryGetValue(targetTable, out var target))
        {
            Report(D.UnknownReference, span, column.Name, column.References, $"this domain has no table '{targetTable}'{Naming.DidYouMean(targetTable, tables.Keys)}");
            return null;
        }

        var referenced = target.Columns.FirstOrDefault(c => c.Name == targetColumn);
        if (referenced is null)
        {
            Report(D.UnknownReference, span, column.Name, column.References, $"table '{targetTable}' has no column '{targetColumn}'{Naming.DidYouMean(targetColumn, target.Columns.Select(c => c.Name))}");
            return null;
        }

        var targetKey = target.PrimaryKey?.Select(k => k.Name).ToList() ?? target.Columns.Where(c => c.PrimaryKey).Select(c => c.Name).ToList();
        var isKey = referenced.Unique || (targetKey.Count == 1 && targetKey[0] == targetColumn)
            || target.Indexes.Any(i => i.Unique && i.Columns.Count == 1 && i.Columns[0].Name == targetColumn);
        if (!isKey)
        {
            Report(D.UnknownReference, span, column.Name, column.References, $"'{targetColumn}' is neither the primary key of '{targetTable}' nor unique");
            return null;
        }

        // A broken column's type is unknown: its own error says so, a type mismatch would be a guess.
        if (!referenced.Broken && !column.Broken && referenced.Type != column.Type)
        {
            Report(D.ReferenceTypeMismatch, span, column.Name, TypeNames.Name(column.Type), column.References, TypeNames.Name(referenced.Type));
        }

        if (table.Sync is { } from && target.Sync is { } to && Reach(to) < Reach(from))
        {
            Report(D.SharedReferencesLocal, span, table.Name, SyncTags.Name(from), target.Name, SyncTags.Name(to), SyncTags.Name(from));
        }

        return new ReferenceSpec(target.Name, referenced.Name);
    }

    /// <summary>How widely a table's rows travel: a table may only point at tables that travel at least as far.</summary>
    private static int Reach(SyncMode mode) => mode switch
    {
        SyncMode.Local => 0,
        SyncMode.Optional => 1,
        SyncMode.Sync => 2,
        _ => throw Unhandled.Value(mode),
    };

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

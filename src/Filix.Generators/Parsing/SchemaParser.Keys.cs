using System;
using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;
using D = Filix.Generators.Diagnostics.DiagnosticDescriptors;

namespace Filix.Generators.Parsing;

// Keys, lookups, indexes and references of one table: what ValidateTable checks once the columns are known.
internal sealed partial class SchemaParser
{
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
}

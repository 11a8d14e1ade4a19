using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Filix.Generators.Diagnostics;
using Filix.Generators.Model;
using Microsoft.CodeAnalysis;
using YamlDotNet.Core;
using D = Filix.Generators.Diagnostics.DiagnosticDescriptors;

namespace Filix.Generators.Parsing;

/// <summary>The result of parsing one schema file: a spec when the file is valid, every diagnostic found, and
/// where the domain is named (so a clash between files can be reported there; kept out of the spec, so moving
/// the line does not re-run the emitters).</summary>
internal sealed record ParseResult(DomainSpec? Spec, EquatableArray<SchemaDiagnostic> Diagnostics, SourceSpan? DomainNameSpan = null);

/// <summary>
/// Reads one <c>*.filix.yaml</c> file into a <see cref="DomainSpec"/>. The only code that looks at YAML. It reports
/// every problem it can find in one pass (not just the first), each at the YAML node it concerns.
/// </summary>
internal sealed partial class SchemaParser
{
    private static readonly string[] RootKeys = { "domain", "description", "namespace", "tables", "allow_destructive" };
    private static readonly string[] TableKeys = { "sync", "description", "record", "columns", "primary_key", "indexes", "renamed_from" };
    private static readonly string[] ColumnKeys = { "type", "nullable", "default", "unique", "primary_key", "references", "description", "renamed_from" };
    private static readonly string[] IndexKeys = { "columns", "unique", "name" };

    private readonly string _path;
    private readonly List<SchemaDiagnostic> _diagnostics = new();

    private SchemaParser(string path) => _path = path;

    /// <param name="path">The file's path, as diagnostics should show it.</param>
    /// <param name="text">The file's contents.</param>
    /// <param name="rootNamespace">The namespace the domain's namespace is placed under (the project's root namespace).</param>
    public static ParseResult Parse(string path, string text, string rootNamespace, CancellationToken cancellationToken = default)
    {
        var parser = new SchemaParser(path);
        var draft = parser.ReadDocument(text);
        cancellationToken.ThrowIfCancellationRequested();
        var spec = draft is null ? null : parser.Validate(draft, rootNamespace);
        var diagnostics = parser._diagnostics.ToEquatableArray();
        return new ParseResult(diagnostics.Count == 0 ? spec : null, diagnostics, draft?.NameSpan);
    }

    private void Report(DiagnosticDescriptor descriptor, SourceSpan span, params string[] args) =>
        _diagnostics.Add(SchemaDiagnostic.Create(descriptor, span, args));

    private DomainDraft? ReadDocument(string text)
    {
        YNode? root;
        try
        {
            root = YamlTree.Load(_path, text);
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            var colon = message.IndexOf("): ", StringComparison.Ordinal);
            Report(D.MalformedYaml, YamlTree.Span(_path, ex.Start, ex.End), colon >= 0 ? message.Substring(colon + 3) : message);
            return null;
        }

        if (root is null || (root is YScalar s && s.IsNull))
        {
            Report(D.MissingKey, SourceSpan.None(_path), "The schema file", "domain", "A schema file starts with 'domain: <name>' and a 'tables:' mapping.");
            return null;
        }

        if (root is not YMapping map)
        {
            Report(D.WrongNodeKind, root.Span, "The schema file", "a mapping with 'domain' and 'tables'", root.KindName, string.Empty);
            return null;
        }

        var domain = new DomainDraft { NameSpan = map.Span };
        YNode? tables = null;
        foreach (var (key, value) in Pairs(map, RootKeys, "the schema file"))
        {
            switch (key.Value)
            {
                case "domain":
                    domain.Name = Scalar(key, value, "a domain name such as 'entities'") ?? string.Empty;
                    domain.NameSpan = value.Span;
                    break;
                case "description":
                    domain.Description = Scalar(key, value, "text") ?? string.Empty;
                    break;
                case "namespace":
                    domain.Namespace = Scalar(key, value, "a C# namespace");
                    break;
                case "tables":
                    tables = value;
                    break;
                case "allow_destructive":
                    domain.AllowDestructive.AddRange((NameList(key, value) ?? new()).Select(n => n.Item1));
                    break;
            }
        }

        if (!Has(map, "domain"))
        {
            Report(D.MissingKey, map.Span, "The schema file", "domain", "Add 'domain: <name>' (lower snake_case; the database file is <name>.db).");
        }

        if (tables is null)
        {
            Report(D.MissingKey, map.Span, "The schema file", "tables", "Add a 'tables:' mapping with at least one table.");
        }
        else if (tables is YMapping { Pairs.Count: 0 })
        {
            Report(D.WrongNodeKind, tables.Span, "tables", "a mapping with at least one table", "an empty mapping", "Add a table as 'name:' followed by its indented definition.");
        }
        else if (tables is YMapping tableMap)
        {
            foreach (var (key, value) in Pairs(tableMap, null, "'tables'"))
            {
                var table = ReadTable(key, value);
                if (table is not null)
                {
                    domain.Tables.Add(table);
                }
            }
        }
        else
        {
            Report(D.WrongNodeKind, tables.Span, "tables", "a mapping from table name to table", tables.KindName, "Write each table as 'name:' followed by its indented definition.");
        }

        return domain;
    }

    /// <summary>The pairs of a mapping, reporting unknown keys (with a "did you mean") and duplicate keys.</summary>
    private IEnumerable<(YScalar Key, YNode Value)> Pairs(YMapping map, string[]? allowed, string where)
    {
        var seen = new Dictionary<string, YScalar>(StringComparer.Ordinal);
        foreach (var pair in map.Pairs)
        {
            var key = pair.Key;
            if (allowed is not null && Array.IndexOf(allowed, key.Value) < 0)
            {
                Report(D.UnknownKey, key.Span, key.Value, where, Naming.DidYouMean(key.Value, allowed), string.Join(", ", allowed));
                continue;
            }

            if (seen.TryGetValue(key.Value, out var first))
            {
                // Duplicate tables and columns get their own, clearer diagnostics from the validator.
                if (allowed is not null)
                {
                    Report(D.DuplicateKey, key.Span, key.Value, where, (first.Span.StartLine + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    continue;
                }
            }
            else
            {
                seen.Add(key.Value, key);
            }

            yield return (key, pair.Value);
        }
    }

    private static bool Has(YMapping map, string key) => map.Pairs.Any(p => p.Key.Value == key);

    private string? Scalar(YScalar key, YNode value, string expected)
    {
        if (value is YScalar scalar && !scalar.IsNull)
        {
            return scalar.Value;
        }

        Report(D.WrongNodeKind, value.Span, key.Value, expected, value.KindName, string.Empty);
        return null;
    }

    private bool? Boolean(YScalar key, YNode value)
    {
        if (value is YScalar { IsPlain: true } scalar && (scalar.Value == "true" || scalar.Value == "false"))
        {
            return scalar.Value == "true";
        }

        Report(D.InvalidValue, value.Span, key.Value, "true or false", value is YScalar s ? s.Value : value.KindName);
        return null;
    }

    /// <summary>A column list: <c>[a, b]</c>, or a single name.</summary>
    private List<(string, SourceSpan)>? NameList(YScalar key, YNode value)
    {
        if (value is YScalar single && !single.IsNull)
        {
            return new List<(string, SourceSpan)> { (single.Value, single.Span) };
        }

        if (value is YSequence seq && seq.Items.Count > 0)
        {
            var names = new List<(string, SourceSpan)>();
            foreach (var item in seq.Items)
            {
                if (item is YScalar name && !name.IsNull)
                {
                    names.Add((name.Value, name.Span));
                }
                else
                {
                    Report(D.WrongNodeKind, item.Span, key.Value, "a list of column names", "a list holding " + item.KindName, string.Empty);
                    return null;
                }
            }

            return names;
        }

        Report(D.WrongNodeKind, value.Span, key.Value, "a non-empty list of column names such as [entity_id, role]", value.KindName, string.Empty);
        return null;
    }
}

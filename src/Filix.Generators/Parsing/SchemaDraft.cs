using System.Collections.Generic;
using Filix.Generators.Model;

namespace Filix.Generators.Parsing;

// The parser's working copy of a schema: what the file said, with the place of every part, before the
// validator checks it across tables and turns it into the immutable spec.

internal sealed class DomainDraft
{
    public string Name = string.Empty;
    public SourceSpan NameSpan = null!;
    public string Description = string.Empty;
    public string? Namespace;
    public readonly List<string> AllowDestructive = new();
    public readonly List<TableDraft> Tables = new();
}

internal sealed class TableDraft
{
    public string Name = string.Empty;
    public SourceSpan Span = null!;
    public string Description = string.Empty;
    public string? RecordName;
    public SourceSpan? RecordSpan;
    public SyncMode? Sync;
    public readonly List<ColumnDraft> Columns = new();
    public List<(string Name, SourceSpan Span)>? PrimaryKey;
    public SourceSpan? PrimaryKeySpan;
    public string? RenamedFrom;
    public readonly List<IndexDraft> Indexes = new();
}

internal sealed class ColumnDraft
{
    public string Name = string.Empty;
    public SourceSpan Span = null!;
    public ColumnType Type;
    public bool Nullable;
    public bool PrimaryKey;
    public bool Unique;
    public DefaultValue? Default;
    public string? References;
    public SourceSpan? ReferencesSpan;
    public string Description = string.Empty;
    public string? RenamedFrom;

    /// <summary>The definition had an error, already reported (an unknown type, no type, not a definition). The
    /// column still exists for the checks of keys, indexes and references, which say nothing more about it (one
    /// mistake, one message), but no spec is built from it.</summary>
    public bool Broken;
}

internal sealed class IndexDraft
{
    public string? Name;
    public SourceSpan? NameSpan;
    public SourceSpan Span = null!;
    public readonly List<(string Name, SourceSpan Span)> Columns = new();
    public bool Unique;
}

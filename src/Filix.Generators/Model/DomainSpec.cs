namespace Filix.Generators.Model;

/// <summary>One domain database, as declared in one <c>*.filix.yaml</c> file. Everything the emitters need and
/// nothing else: no YAML nodes, no Roslyn symbols, structurally equatable.</summary>
public sealed record DomainSpec
{
    /// <summary>The domain name in snake_case (<c>entities</c>); the database file is <c>&lt;name&gt;.db</c>.</summary>
    public required string Name { get; init; }

    /// <summary>PascalCase form used for type names (<c>Entities</c>).</summary>
    public required string TypeName { get; init; }

    public required string Namespace { get; init; }

    public required string Description { get; init; }

    public required string SourcePath { get; init; }

    public required EquatableArray<TableSpec> Tables { get; init; }

    /// <summary>Elements (<c>table</c> or <c>table.column</c>) whose destructive change the schema says is intended
    /// (<c>allow_destructive:</c>); the migration lint lets only these through. See docs/migrations.md.</summary>
    public EquatableArray<string> AllowDestructive { get; init; } = EquatableArray<string>.Empty;
}

public sealed record TableSpec
{
    public required string Name { get; init; }

    /// <summary>The record type's name (<c>Entity</c>), from <c>record:</c> or the singular of the table name.</summary>
    public required string RecordName { get; init; }

    /// <summary>The repository property and class stem (<c>Entities</c> -> <c>EntitiesTable</c>).</summary>
    public required string PluralName { get; init; }

    public required string Description { get; init; }

    public required SyncMode Sync { get; init; }

    public required EquatableArray<ColumnSpec> Columns { get; init; }

    /// <summary>Primary key column names, in key order.</summary>
    public required EquatableArray<string> PrimaryKey { get; init; }

    public required EquatableArray<IndexSpec> Indexes { get; init; }

    /// <summary>The repository's lookup methods, planned (and their names checked) by the parser.</summary>
    public required EquatableArray<LookupSpec> Lookups { get; init; }

    /// <summary>The table's previous name (<c>renamed_from:</c>), so a migration renames it instead of dropping it.</summary>
    public string? RenamedFrom { get; init; }
}

public sealed record ColumnSpec
{
    public required string Name { get; init; }

    /// <summary>The C# property name (<c>role_type</c> -> <c>RoleType</c>).</summary>
    public required string PropertyName { get; init; }

    public required ColumnType Type { get; init; }

    public required bool Nullable { get; init; }

    public DefaultValue? Default { get; init; }

    public required bool Unique { get; init; }

    public ReferenceSpec? References { get; init; }

    public required string Description { get; init; }

    /// <summary>The column's previous name (<c>renamed_from:</c>), so a migration renames it instead of dropping it.</summary>
    public string? RenamedFrom { get; init; }
}

public sealed record ReferenceSpec(string Table, string Column);

/// <summary>A repository lookup: <c>GetBy…Async</c> (unique, one row) or <c>FindBy…Async</c> (a list), and its
/// SQL constant <c>…Sql</c>; one per unique column, per index and per proper prefix of a composite key.</summary>
public sealed record LookupSpec
{
    /// <summary>The method's stem (<c>GetByEmail</c>); the method adds <c>Async</c>, its SQL constant <c>Sql</c>.</summary>
    public required string Name { get; init; }

    public required EquatableArray<string> Columns { get; init; }

    public required bool Unique { get; init; }

    /// <summary>Per column, whether the method's argument may be null. SQL lets many rows hold NULL under UNIQUE,
    /// so a unique lookup takes non-null arguments ("the row whose x is null" is not one row); a non-unique lookup
    /// of a nullable column takes null and compares null-safely (<c>IS</c>).</summary>
    public required EquatableArray<bool> NullableArguments { get; init; }
}

public sealed record IndexSpec
{
    public required string Name { get; init; }

    public required EquatableArray<string> Columns { get; init; }

    public required bool Unique { get; init; }
}

using Filix.Generators.Model;

namespace Filix.Generators.Migrations;

// The operations a schema change is made of, as EF Core models them (AddColumnOperation, DropColumnOperation):
// tiny records that know from birth whether they lose data. The differ produces them from two specs; each dialect
// rewrites them into SQL (SqliteMigrationSql, PostgresMigrationSql). The rank orders them: drops of indexes first,
// renames before anything refers to the new names, table drops last. Each dialect runs every rename before all
// else (RenameSteps), moving a name another rename takes out of the way first.

/// <summary>One step of a schema change. <see cref="Table"/> is the table's name after the migration (for a
/// dropped table, its old name).</summary>
internal abstract record MigrationOperation(string Table)
{
    /// <summary>True when applying the operation can lose data; the lint refuses it unless the schema allows it.</summary>
    public virtual bool IsDestructive => false;

    /// <summary>Position in the sorted operation list.</summary>
    public abstract int Rank { get; }

    /// <summary>The ranks of table creation and removal, which the Postgres upstream also gives sync-tag changes.</summary>
    public const int CreateTableRank = 3;

    public const int DropTableRank = 10;
}

internal sealed record DropIndexOperation(string Table, IndexSpec Index) : MigrationOperation(Table)
{
    public override int Rank => 0;
}

internal sealed record RenameTableOperation(string OldName, string Table) : MigrationOperation(Table)
{
    public override int Rank => 1;
}

internal sealed record RenameColumnOperation(string Table, string OldName, string NewName) : MigrationOperation(Table)
{
    public override int Rank => 2;
}

internal sealed record CreateTableOperation(TableSpec Spec) : MigrationOperation(Spec.Name)
{
    public override int Rank => CreateTableRank;
}

/// <summary>A new column. Destructive when it is NOT NULL without a default: existing rows have no value for it.</summary>
internal sealed record AddColumnOperation(string Table, ColumnSpec Column) : MigrationOperation(Table)
{
    public override bool IsDestructive => !Column.Nullable && Column.Default is null;

    public override int Rank => 4;
}

/// <summary>A column whose type, nullability, default, uniqueness or reference changed (after any rename).</summary>
internal sealed record AlterColumnOperation(string Table, ColumnSpec Old, ColumnSpec New) : MigrationOperation(Table)
{
    /// <summary>The reference is written the same but now means another table or column (the one it named was
    /// dropped and a rename took its name), so the foreign key must be made again.</summary>
    public bool Rebinds { get; init; }

    public bool ChangesReference => Rebinds || !Equals(Old.References, New.References);

    public bool NarrowsType => Old.Type != New.Type && !ColumnConversions.IsWidening(Old.Type, New.Type);

    public bool BecomesRequiredWithoutDefault => Old.Nullable && !New.Nullable && New.Default is null;

    public override bool IsDestructive => NarrowsType || BecomesRequiredWithoutDefault;

    public override int Rank => 5;
}

internal sealed record AlterPrimaryKeyOperation(string Table, EquatableArray<string> Old, EquatableArray<string> New) : MigrationOperation(Table)
{
    public override int Rank => 6;
}

internal sealed record DropColumnOperation(string Table, ColumnSpec Column) : MigrationOperation(Table)
{
    public override bool IsDestructive => true;

    public override int Rank => 7;
}

internal sealed record CreateIndexOperation(string Table, IndexSpec Index) : MigrationOperation(Table)
{
    public override int Rank => 8;
}

/// <summary>The table's sync tag changed. Only the Postgres upstream sees it: a table that stops being shared is
/// dropped there (destructive), one that becomes shared is created there.</summary>
internal sealed record ChangeSyncOperation(TableSpec Old, TableSpec New) : MigrationOperation(New.Name)
{
    public bool DropsUpstream => Old.Sync != SyncMode.Local && New.Sync == SyncMode.Local;

    public bool CreatesUpstream => Old.Sync == SyncMode.Local && New.Sync != SyncMode.Local;

    public override bool IsDestructive => DropsUpstream;

    public override int Rank => 9;
}

internal sealed record DropTableOperation(TableSpec Old) : MigrationOperation(Old.Name)
{
    public override bool IsDestructive => true;

    public override int Rank => DropTableRank;
}

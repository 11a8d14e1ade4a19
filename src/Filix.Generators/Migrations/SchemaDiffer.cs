using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;

namespace Filix.Generators.Migrations;

/// <summary>
/// Compares the recorded schema (the snapshot of the last migration) with the desired one (the YAML) per element
/// kind, as EF Core's MigrationsModelDiffer does, and returns the sorted operations that turn one into the other.
/// Renames are resolved before anything is matched by name (EF Core does the same), so dropping <c>name</c> and
/// renaming <c>title</c> to <c>name</c> in one edit is a drop of the old <c>name</c> and a rename, not a retype.
/// </summary>
internal static class SchemaDiffer
{
    /// <param name="recorded">The schema after the last recorded migration, or null when there is none yet.</param>
    public static List<MigrationOperation> Diff(DomainSpec? recorded, DomainSpec desired)
    {
        var operations = new List<MigrationOperation>();
        var (tablePairs, droppedTables) = Match(desired.Tables, recorded?.Tables ?? EquatableArray<TableSpec>.Empty, t => t.Name, t => t.RenamedFrom);

        // What each recorded table and column became (absent: dropped), so a reference is compared by what it
        // points at and not by name alone: a reference to 'a' that meant the dropped 'a' and now means the
        // renamed 'b' is a changed reference.
        var identity = new Identity();
        var columnPairs = new Dictionary<string, (List<(ColumnSpec Desired, ColumnSpec? Recorded)> Pairs, List<ColumnSpec> Dropped)>();
        foreach (var (table, source) in tablePairs.Where(p => p.Recorded is not null))
        {
            identity.Tables[source!.Name] = table.Name;
            var columns = Match(table.Columns, source.Columns, c => c.Name, c => c.RenamedFrom);
            columnPairs[table.Name] = columns;
            foreach (var (column, from) in columns.Pairs.Where(p => p.Recorded is not null))
            {
                identity.Columns[(source.Name, from!.Name)] = column.Name;
            }
        }

        foreach (var (table, source) in tablePairs)
        {
            if (source is null)
            {
                operations.Add(new CreateTableOperation(table));
                continue;
            }

            if (source.Name != table.Name)
            {
                operations.Add(new RenameTableOperation(source.Name, table.Name));
            }

            DiffTable(source, table, columnPairs[table.Name], identity, operations);
        }

        operations.AddRange(droppedTables.Select(t => new DropTableOperation(t)));
        return Sort(operations);
    }

    /// <summary>
    /// Pairs each desired element with its recorded one (EF Core's DiffCollection), renames first: an element whose
    /// <c>renamed_from</c> names a recorded element claims it, unless a desired element still declares that name
    /// and stays (a <c>renamed_from</c> left in the YAML after its migration). Then the rest pair by name. Returns
    /// the recorded elements nothing claimed as well (they are dropped).
    /// </summary>
    internal static (List<(T Desired, T? Recorded)> Pairs, List<T> Unmatched) Match<T>(
        IReadOnlyList<T> desired, IEnumerable<T> recorded, System.Func<T, string> name, System.Func<T, string?> renamedFrom)
        where T : class
    {
        var old = recorded.ToDictionary(name);
        var declared = desired.GroupBy(name).ToDictionary(g => g.Key, g => g.First());
        var moving = new Dictionary<T, bool>();

        // An element moves away from its name when its renamed_from names another recorded element that is free
        // to take; a cycle of such elements (a swap a <-> b) all move.
        bool Moves(T item)
        {
            if (moving.TryGetValue(item, out var known))
            {
                return known;
            }

            moving[item] = true; // in progress: a cycle of renames is a swap
            var result = renamedFrom(item) is { } previous && previous != name(item) && old.ContainsKey(previous)
                && (!declared.TryGetValue(previous, out var holder) || Moves(holder));
            moving[item] = result;
            return result;
        }

        var claimed = new Dictionary<T, T>();
        var taken = new HashSet<string>();
        foreach (var item in desired.Where(Moves))
        {
            var previous = renamedFrom(item)!;
            if (taken.Add(previous))
            {
                claimed[item] = old[previous];
            }
        }

        var pairs = new List<(T, T?)>();
        foreach (var item in desired)
        {
            var source = claimed.TryGetValue(item, out var renamed) ? renamed
                : !taken.Contains(name(item)) && old.TryGetValue(name(item), out var same) ? same
                : null;
            if (source is not null && !claimed.ContainsKey(item))
            {
                taken.Add(name(source));
            }

            pairs.Add((item, source));
        }

        return (pairs, old.Values.Where(o => !taken.Contains(name(o))).ToList());
    }

    private static void DiffTable(TableSpec old, TableSpec table, (List<(ColumnSpec Desired, ColumnSpec? Recorded)> Pairs, List<ColumnSpec> Dropped) columns,
        Identity identity, List<MigrationOperation> operations)
    {
        var newNameOf = new Dictionary<string, string>();
        foreach (var (column, source) in columns.Pairs)
        {
            if (source is null)
            {
                operations.Add(new AddColumnOperation(table.Name, column));
                continue;
            }

            if (source.Name != column.Name)
            {
                operations.Add(new RenameColumnOperation(table.Name, source.Name, column.Name));
            }

            newNameOf[source.Name] = column.Name;
            var rebinds = source.References is not null && Equals(source.References, column.References) && !identity.Keeps(source.References);
            if (!SameDefinition(source, column) || rebinds)
            {
                operations.Add(new AlterColumnOperation(table.Name, source, column) { Rebinds = rebinds });
            }
        }

        operations.AddRange(columns.Dropped.Select(c => new DropColumnOperation(table.Name, c)));

        // A dropped column maps to no name, so a key or index over it never equals one over a new same-named column.
        foreach (var dropped in columns.Dropped)
        {
            newNameOf[dropped.Name] = "\0" + dropped.Name;
        }

        var renamedKey = old.PrimaryKey.Select(k => newNameOf.TryGetValue(k, out var n) ? n : k).ToEquatableArray();
        if (renamedKey != table.PrimaryKey)
        {
            operations.Add(new AlterPrimaryKeyOperation(table.Name, old.PrimaryKey, table.PrimaryKey));
        }

        // Indexes are matched by name and definition; the default name includes the table and columns, so a
        // renamed table or column gives a new index (dropped and created: cheap next to the data).
        var oldIndexes = old.Indexes.ToDictionary(i => i.Name);
        var renamedTable = old.Name != table.Name;
        foreach (var index in old.Indexes)
        {
            var kept = table.Indexes.FirstOrDefault(i => i.Name == index.Name);
            if (renamedTable || kept is null || kept != Renamed(index, newNameOf))
            {
                operations.Add(new DropIndexOperation(table.Name, index));
            }
        }

        foreach (var index in table.Indexes)
        {
            if (renamedTable || !oldIndexes.TryGetValue(index.Name, out var before) || Renamed(before, newNameOf) != index)
            {
                operations.Add(new CreateIndexOperation(table.Name, index));
            }
        }

        if (old.Sync != table.Sync)
        {
            operations.Add(new ChangeSyncOperation(old, table));
        }
    }

    private static IndexSpec Renamed(IndexSpec index, Dictionary<string, string> newNameOf) =>
        index with { Columns = index.Columns.Select(c => newNameOf.TryGetValue(c, out var n) ? n : c).ToEquatableArray() };

    /// <summary>What the database stores about a column; descriptions and C# names are not part of it.</summary>
    private static bool SameDefinition(ColumnSpec a, ColumnSpec b) =>
        a.Type == b.Type && a.Nullable == b.Nullable && Equals(a.Default, b.Default) && a.Unique == b.Unique && Equals(a.References, b.References);

    /// <summary>By rank; new tables in dependency order where there is one; stable otherwise.</summary>
    private static List<MigrationOperation> Sort(List<MigrationOperation> operations)
    {
        var position = TableOrder.ParentsFirst(operations.OfType<CreateTableOperation>().Select(c => c.Spec).ToList());
        return operations
            .Select((op, i) => (op, i))
            .OrderBy(x => x.op.Rank)
            .ThenBy(x => x.op is CreateTableOperation c ? position[c.Table] : 0)
            .ThenBy(x => x.i)
            .Select(x => x.op)
            .ToList();
    }

    /// <summary>The desired name of each recorded table and column that survives the migration.</summary>
    private sealed class Identity
    {
        public Dictionary<string, string> Tables { get; } = new();

        public Dictionary<(string Table, string Column), string> Columns { get; } = new();

        /// <summary>Whether the recorded reference still names what it pointed at (a reference to a table outside
        /// the recorded schema is kept as written).</summary>
        public bool Keeps(ReferenceSpec reference) =>
            Tables.TryGetValue(reference.Table, out var table)
                ? table == reference.Table && Columns.TryGetValue((reference.Table, reference.Column), out var column) && column == reference.Column
                : !Tables.ContainsValue(reference.Table);
    }
}

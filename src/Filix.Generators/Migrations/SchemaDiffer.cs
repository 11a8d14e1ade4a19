using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;

namespace Filix.Generators.Migrations;

/// <summary>
/// Compares the recorded schema (the snapshot of the last migration) with the desired one (the YAML) per element
/// kind, as EF Core's MigrationsModelDiffer does, and returns the sorted operations that turn one into the other.
/// Elements are matched by name, or through <c>renamed_from:</c>, so a rename is a rename and not a drop + add.
/// </summary>
internal static class SchemaDiffer
{
    /// <param name="recorded">The schema after the last recorded migration, or null when there is none yet.</param>
    public static List<MigrationOperation> Diff(DomainSpec? recorded, DomainSpec desired)
    {
        var operations = new List<MigrationOperation>();
        var (pairs, dropped) = Match(desired.Tables, recorded?.Tables ?? EquatableArray<TableSpec>.Empty, t => t.Name, t => t.RenamedFrom);
        foreach (var (table, source) in pairs)
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

            DiffTable(source, table, operations);
        }

        operations.AddRange(dropped.Select(t => new DropTableOperation(t)));
        return Sort(operations);
    }

    /// <summary>Pairs each desired element with its recorded one, by name or else through <c>renamed_from</c>
    /// (EF Core's DiffCollection); returns the recorded elements nothing claimed as well.</summary>
    private static (List<(T Desired, T? Recorded)> Pairs, List<T> Unmatched) Match<T>(
        IEnumerable<T> desired, IEnumerable<T> recorded, System.Func<T, string> name, System.Func<T, string?> renamedFrom)
        where T : class
    {
        var old = recorded.ToDictionary(name);
        var matched = new HashSet<string>();
        var pairs = new List<(T, T?)>();
        foreach (var item in desired)
        {
            var source = old.TryGetValue(name(item), out var same) ? same
                : renamedFrom(item) is { } previous && !matched.Contains(previous) && old.TryGetValue(previous, out var renamed) ? renamed
                : null;
            if (source is not null)
            {
                matched.Add(name(source));
            }

            pairs.Add((item, source));
        }

        return (pairs, old.Values.Where(o => !matched.Contains(name(o))).ToList());
    }

    private static void DiffTable(TableSpec old, TableSpec table, List<MigrationOperation> operations)
    {
        var (pairs, dropped) = Match(table.Columns, old.Columns, c => c.Name, c => c.RenamedFrom);
        var newNameOf = new Dictionary<string, string>();
        foreach (var (column, source) in pairs)
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
            if (!SameDefinition(source, column))
            {
                operations.Add(new AlterColumnOperation(table.Name, source, column));
            }
        }

        operations.AddRange(dropped.Select(c => new DropColumnOperation(table.Name, c)));

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

    /// <summary>By rank; new tables in dependency order (Postgres checks a REFERENCES target exists); stable otherwise.</summary>
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
}

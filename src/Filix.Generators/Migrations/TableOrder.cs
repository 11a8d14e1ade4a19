using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;

namespace Filix.Generators.Migrations;

/// <summary>Orders tables by their foreign keys, for readable migrations: new tables parents first, dropped ones
/// children first. Postgres no longer depends on it for creation (keys are added after every table exists), and
/// drops in a cycle first lose the keys that point back (PostgresMigrationSql), so a cycle may keep any order.</summary>
internal static class TableOrder
{
    /// <summary>Each table's place when every table comes after the tables it references among
    /// <paramref name="tables"/> (references to other tables, to itself, and cycles keep the given order).</summary>
    public static Dictionary<string, int> ParentsFirst(IReadOnlyList<TableSpec> tables)
    {
        var names = new HashSet<string>(tables.Select(t => t.Name));
        var placed = new HashSet<string>();
        var order = new Dictionary<string, int>();
        while (order.Count < tables.Count)
        {
            var next = tables.FirstOrDefault(t => !placed.Contains(t.Name) && t.Columns.All(c =>
                    c.References is null || c.References.Table == t.Name || placed.Contains(c.References.Table) || !names.Contains(c.References.Table)))
                ?? tables.First(t => !placed.Contains(t.Name));
            placed.Add(next.Name);
            order[next.Name] = order.Count;
        }

        return order;
    }
}

using Filix.Runtime;

namespace Filix.Sync.Tests.Machines;

/// <summary>What a machine's shared tables hold at one moment (read through its raw connections): the rows the next
/// chunk of random writes is generated against.</summary>
internal sealed class LocalRows
{
    private readonly Dictionary<string, Dictionary<string, object?[]>> _rows = new(StringComparer.Ordinal);

    public static LocalRows Read(Machine machine)
    {
        var local = new LocalRows();
        foreach (var open in machine.Open)
        {
            foreach (var table in open.Tables)
            {
                var rows = new Dictionary<string, object?[]>(StringComparer.Ordinal);
                var columns = string.Join(", ", table.Columns.Select(c => SqlNames.Quote(c.Name)));
                foreach (var row in TableModel.Rows(open.Raw, $"SELECT {columns} FROM {SqlNames.Quote(table.Name)}"))
                {
                    rows[StoredValues.Canonical(table.KeyColumns.Select(k => row[k.Ordinal]))] = row;
                }

                local._rows[Name(table.Domain.Name, table.Name)] = rows;
            }
        }

        return local;
    }

    private static string Name(string domain, string table) => domain + "." + table;

    public object?[]? Get(TableModel table, object?[] key) =>
        _rows[table.ToString()].GetValueOrDefault(StoredValues.Canonical(key));

    /// <summary>A random row of <paramref name="table"/> whose key passes <paramref name="allowed"/>, or null.</summary>
    public object?[]? Pick(TableModel table, Random random, Func<object?[], bool> allowed)
    {
        var candidates = _rows[table.ToString()].Values
            .Where(r => allowed(table.KeyColumns.Select(k => r[k.Ordinal]).ToArray()))
            .OrderBy(r => StoredValues.Canonical(r), StringComparer.Ordinal) // dictionary order is not part of the seed
            .ToArray();
        return candidates.Length == 0 ? null : candidates[random.Next(candidates.Length)];
    }

    /// <summary>The key of a random stable row of the parent table <paramref name="parent"/> (same domain), or null.</summary>
    public object? StableKey(string parent, Random random)
    {
        var table = _rows.Keys.Single(k => k.EndsWith("." + parent, StringComparison.Ordinal));
        var keys = _rows[table].Values.Select(r => r[0]).Where(TableModel.IsStableKey).OrderBy(k => (string)k!, StringComparer.Ordinal).ToArray();
        return keys.Length == 0 ? null : keys[random.Next(keys.Length)];
    }
}

using Filix.Runtime;
using Npgsql;

namespace Filix.Sync.Tests.Machines;

/// <summary>Every row of a set of shared tables, by table (<c>domain.table</c>) and key JSON, as comparable text.</summary>
internal sealed class Snapshot
{
    public Dictionary<string, SortedDictionary<string, string>> Tables { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> this[string table] => Tables.TryGetValue(table, out var rows) ? rows : [];

    /// <summary>A machine's rows; the key is SQLite's own <c>json_array</c> of the key columns, as capture writes it.</summary>
    public static Snapshot Local(Machine machine, IEnumerable<TableModel> tables)
    {
        var snapshot = new Snapshot();
        foreach (var table in tables)
        {
            var open = machine[table.Domain.Name];
            var key = "json_array(" + string.Join(", ", table.KeyColumns.Select(k => SqlNames.Quote(k.Name))) + ")";
            var columns = string.Join(", ", table.Columns.Select(c => SqlNames.Quote(c.Name)));
            var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in TableModel.Rows(open.Raw, $"SELECT {key}, {columns} FROM {SqlNames.Quote(table.Name)}"))
            {
                rows.Add((string)row[0]!, StoredValues.Canonical(row.Skip(1)));
            }

            snapshot.Tables[table.ToString()] = rows;
        }

        return snapshot;
    }

    /// <summary>The upstream's rows, read through the table's generated Postgres reader into SQLite stored forms (the
    /// values a pulling machine would store), keyed by <c>_filix_pk</c>.</summary>
    public static async Task<Snapshot> UpstreamAsync(string upstream, IEnumerable<TableModel> tables)
    {
        var snapshot = new Snapshot();
        await using var connection = new NpgsqlConnection(upstream);
        await connection.OpenAsync();
        foreach (var table in tables)
        {
            var columns = string.Join(", ", table.Columns.Select(c => SqlNames.Quote(c.Name)));
            var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
            await using (var command = new NpgsqlCommand($"SELECT {columns}, \"_filix_pk\" FROM {SqlNames.Quote(table.Domain.Name)}.{SqlNames.Quote(table.Name)}", connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                var values = new object?[table.Columns.Count];
                while (await reader.ReadAsync())
                {
                    table.Sync.ReadFromUpstream(reader, values, 0);
                    rows.Add(reader.GetString(table.Columns.Count), StoredValues.Canonical(values));
                }
            }

            snapshot.Tables[table.ToString()] = rows;
        }

        return snapshot;
    }
}

/// <summary>
/// What every machine must hold at the end, computed from the writes alone, never from the engine: per key, the write
/// with the largest (version, machine) wins (the contract's last-write-wins), and the row is what that write left
/// (absent when it was a delete). A write lost anywhere, or an older one winning, shows up as a difference.
/// </summary>
internal sealed class Oracle
{
    private readonly List<Written> _writes = [];

    public int Count
    {
        get
        {
            lock (_writes)
            {
                return _writes.Count;
            }
        }
    }

    public void Add(IEnumerable<Written> writes)
    {
        lock (_writes)
        {
            _writes.AddRange(writes);
        }
    }

    public Snapshot Expected()
    {
        var snapshot = new Snapshot();
        lock (_writes)
        {
            foreach (var key in _writes.GroupBy(w => (w.Table, w.Pk)))
            {
                var winner = key.OrderBy(w => w.Hlc).ThenBy(w => w.Machine, StringComparer.Ordinal).Last();
                if (!snapshot.Tables.TryGetValue(key.Key.Table, out var rows))
                {
                    snapshot.Tables[key.Key.Table] = rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
                }

                if (!winner.Deleted)
                {
                    rows[key.Key.Pk] = winner.Row!;
                }
            }
        }

        return snapshot;
    }

    /// <summary>Every write of one key, in version order, for a failure message.</summary>
    public string History(string table, string pk)
    {
        lock (_writes)
        {
            return string.Join("\n", _writes.Where(w => w.Table == table && w.Pk == pk).OrderBy(w => w.Hlc)
                .Select(w => $"      hlc {w.Hlc} ({DateTimeOffset.FromUnixTimeMilliseconds(w.Hlc >> 16):HH:mm:ss.fff}+{w.Hlc & 0xFFFF}) {w.Description}" + (w.Deleted ? string.Empty : " -> " + w.Row)));
        }
    }
}

namespace Filix.Sync.Tests.Machines;

internal enum OpKind
{
    Insert,
    Upsert,
    Update,
    SoftDelete,
    Delete,

    /// <summary>An update that changes the key (raw SQL only: repositories update by key): capture records the old
    /// key deleted and the new one written.</summary>
    Rekey,
}

/// <summary>One write the harness makes: <see cref="Row"/> is the full new row (insert, upsert), <see cref="Changes"/>
/// the columns an update sets (by ordinal), <see cref="Before"/> the row as it was (updates, deletes).</summary>
internal sealed record Op(TableModel Table, OpKind Kind, object?[] Key, object?[]? Row, IReadOnlyDictionary<int, object?>? Changes, object?[]? Before)
{
    /// <summary>The keys whose capture this write changes: its key, and for a key change the new key too.</summary>
    public IReadOnlyList<(object?[] Key, OpKind As)> Touched => Kind == OpKind.Rekey
        ? [(Key, OpKind.Delete), (Table.KeyColumns.Select(k => After![k.Ordinal]).ToArray(), OpKind.Update)]
        : [(Key, Kind)];

    /// <summary>The row after the write (null for a delete).</summary>
    public object?[]? After => Kind switch
    {
        OpKind.Insert or OpKind.Upsert => Row,
        OpKind.Delete => null,
        _ => Before!.Select((v, i) => Changes!.TryGetValue(i, out var c) ? c : v).ToArray(),
    };

    public override string ToString() =>
        $"{Kind} {Table} {StoredValues.Canonical(Key)}" + (Changes is null ? string.Empty : " set " + string.Join(", ", Changes.Select(c => $"{Table.Columns[c.Key].Name}={StoredValues.Token(c.Value)}")));
}

/// <summary>
/// Generates random writes for one machine against what its databases hold now (<see cref="LocalRows"/>), keeping
/// foreign keys valid (children only under stable parents that exist here), unique columns fresh, and each key
/// written at most once per chunk (so a chunk can be handed whole to a Python process).
/// </summary>
internal sealed class RandomOps(Random random, Machine machine)
{
    private readonly Dictionary<string, List<object?[]>> _deletedHere = new(StringComparer.Ordinal);
    private int _serial;

    /// <summary>Up to <paramref name="count"/> writes over <paramref name="tables"/>, against <paramref name="rows"/>.</summary>
    public List<Op> Chunk(IReadOnlyList<TableModel> tables, LocalRows rows, int count, bool keyChanges = false)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var ops = new List<Op>();
        for (var attempt = 0; ops.Count < count && attempt < count * 6; attempt++)
        {
            var table = tables[random.Next(tables.Count)];
            var op = random.Next(100) switch
            {
                < 45 => Insert(table, rows, touched),
                < 75 => Update(table, rows, touched, soft: false),
                < 85 => Update(table, rows, touched, soft: true),
                < 90 when keyChanges => Rekey(table, rows, touched),
                _ => Delete(table, rows, touched),
            };
            if (op is not null)
            {
                foreach (var (key, _) in op.Touched)
                {
                    touched.Add(Touch(op.Table, key));
                }

                ops.Add(op);
                if (op.Kind == OpKind.Delete)
                {
                    Remember(op);
                }
            }
        }

        return ops;
    }

    private static string Touch(TableModel table, object?[] key) => table + StoredValues.Canonical(key);

    private void Remember(Op op)
    {
        if (!_deletedHere.TryGetValue(op.Table.ToString(), out var keys))
        {
            _deletedHere[op.Table.ToString()] = keys = [];
        }

        keys.Add(op.Key);
    }

    private Op? Insert(TableModel table, LocalRows rows, HashSet<string> touched)
    {
        object?[]? key = null;
        if (_deletedHere.TryGetValue(table.ToString(), out var deleted) && deleted.Count > 0 && random.Next(4) == 0)
        {
            key = deleted[random.Next(deleted.Count)]; // the same key again, after a delete (a resurrection)
        }

        key ??= NewKey(table, rows);
        if (key is null || touched.Contains(Touch(table, key)))
        {
            return null;
        }

        var row = new object?[table.Columns.Count];
        foreach (var column in table.Columns)
        {
            row[column.Ordinal] = column.Key ? key[table.KeyColumns.ToList().IndexOf(column)] : Value(table, column, rows);
            if (!column.Key && column.Parent is not null && row[column.Ordinal] is null && !column.Nullable)
            {
                return null; // no stable parent here yet
            }
        }

        // A key this machine already holds (a child key another machine also chose) is written over: an upsert.
        var exists = rows.Get(table, key) is not null;
        return new Op(table, exists || random.Next(5) == 0 ? OpKind.Upsert : OpKind.Insert, key, row, null, rows.Get(table, key));
    }

    private object?[]? NewKey(TableModel table, LocalRows rows)
    {
        var key = new object?[table.KeyColumns.Count];
        for (var i = 0; i < key.Length; i++)
        {
            var column = table.KeyColumns[i];
            if (column.Parent is not null)
            {
                key[i] = rows.StableKey(column.Parent, random);
                if (key[i] is null)
                {
                    return null;
                }
            }
            else if (table.IsParent)
            {
                var stable = random.Next(5) < 3;
                key[i] = column.Kind == ValueKind.Uuid ? StoredValues.Uuid(random, stable ? 'a' : 'd') : $"{(stable ? 'a' : 'd')}-{Serial()}";
            }
            else
            {
                // Child keys come from a small space, so machines sometimes write the same key at once.
                key[i] = column.Kind switch
                {
                    ValueKind.Integer => (object)(long)random.Next(6),
                    ValueKind.Uuid => StoredValues.Uuid(random, 'c'),
                    _ => $"{column.Name}{random.Next(4)}",
                };
            }
        }

        return key;
    }

    private object? Value(TableModel table, ColumnModel column, LocalRows rows)
    {
        if (column.Parent is not null)
        {
            return column.Nullable && random.Next(4) == 0 ? null : rows.StableKey(column.Parent, random);
        }

        return StoredValues.Generate(column, random, Serial());
    }

    private Op? Update(TableModel table, LocalRows rows, HashSet<string> touched, bool soft)
    {
        var status = table.Columns.FirstOrDefault(c => c.Name == "status");
        var ended = table.Columns.FirstOrDefault(c => c.Name is "end_date" or "deleted_at");
        if (soft && (status is null || ended is null))
        {
            return null;
        }

        var before = rows.Pick(table, random, key => !touched.Contains(Touch(table, key)));
        if (before is null)
        {
            return null;
        }

        var changes = new Dictionary<int, object?>();
        if (soft)
        {
            // Seed 000's soft delete: the row stays, its status says it ended.
            changes[status!.Ordinal] = table.Name == "events" ? "ended" : "deleted";
            changes[ended!.Ordinal] = ended.Kind == ValueKind.Date ? "2026-0" + (1 + random.Next(9)) + "-1" + random.Next(10) : StoredValues.Timestamp(random);
        }
        else
        {
            var candidates = table.Columns.Where(c => !c.Key).ToArray();
            for (var n = 1 + random.Next(3); n > 0; n--)
            {
                var column = candidates[random.Next(candidates.Length)];
                var value = Value(table, column, rows);
                if (column.Parent is not null && value is null && !column.Nullable)
                {
                    continue;
                }

                changes[column.Ordinal] = value;
            }
        }

        var key = table.KeyColumns.Select(k => before[k.Ordinal]).ToArray();
        return changes.Count == 0 ? null : new Op(table, soft ? OpKind.SoftDelete : OpKind.Update, key, null, changes, before);
    }

    private Op? Rekey(TableModel table, LocalRows rows, HashSet<string> touched)
    {
        if (table.IsParent)
        {
            return null; // children would be left pointing at the old key
        }

        var before = rows.Pick(table, random, key => !touched.Contains(Touch(table, key)));
        var key = NewKey(table, rows);
        if (before is null || key is null || rows.Get(table, key) is not null || touched.Contains(Touch(table, key)))
        {
            return null;
        }

        var changes = new Dictionary<int, object?>();
        for (var i = 0; i < key.Length; i++)
        {
            changes[table.KeyColumns[i].Ordinal] = key[i];
        }

        return new Op(table, OpKind.Rekey, table.KeyColumns.Select(k => before[k.Ordinal]).ToArray(), null, changes, before);
    }

    private Op? Delete(TableModel table, LocalRows rows, HashSet<string> touched)
    {
        var before = rows.Pick(table, random, key => table.MayDelete(key) && !touched.Contains(Touch(table, key)));
        return before is null ? null : new Op(table, OpKind.Delete, table.KeyColumns.Select(k => before[k.Ordinal]).ToArray(), null, null, before);
    }

    private string Serial() => $"m{machine.Index}-{++_serial}";
}

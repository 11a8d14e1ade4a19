namespace Filix.Runtime.Sync.Engine;

/// <summary>
/// A sub-batch of pulled rows in stored forms, filled from the upstream reader while the writer applies the previous
/// one (two buffers alternate), so memory stays at two sub-batches whatever the table's size.
/// </summary>
internal sealed class RowBuffer
{
    public RowBuffer(int columns, int capacity)
    {
        Columns = columns;
        Values = new object?[columns * capacity];
        Pks = new string?[capacity];
        Versions = new long[capacity];
        Origins = new string[capacity];
        Deleted = new bool[capacity];
        Xids = new ulong[capacity];
    }

    public int Columns { get; }

    public int Capacity => Pks.Length;

    public int Count { get; private set; }

    public object?[] Values { get; }

    public string?[] Pks { get; }

    public long[] Versions { get; }

    public string[] Origins { get; }

    public bool[] Deleted { get; }

    public ulong[] Xids { get; }

    /// <summary>Reads the reader's current row (ordinals: columns, pk, version, origin, deleted, xid).</summary>
    public void Add(SyncTable table, Npgsql.NpgsqlDataReader reader)
    {
        var i = Count;
        var n = Columns;
        Deleted[i] = reader.GetBoolean(n + 3);
        if (Deleted[i])
        {
            Array.Clear(Values, i * n, n);
        }
        else
        {
            table.ReadFromUpstream(reader, Values, i * n);
        }

        Pks[i] = reader.IsDBNull(n) ? null : reader.GetString(n);
        Versions[i] = reader.GetInt64(n + 1);

        // A row another tool wrote upstream has no machine: '' orders below every machine id, as upstream's guard does.
        Origins[i] = reader.IsDBNull(n + 2) ? string.Empty : reader.GetString(n + 2);
        Xids[i] = reader.GetFieldValue<ulong>(n + 4);
        Count = i + 1;
    }

    public void Clear() => Count = 0;
}

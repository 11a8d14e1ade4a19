using Microsoft.Data.Sqlite;
using Npgsql;

namespace Filix.Runtime.Sync;

/// <summary>Where a shared table's rows go: <see cref="Sync"/> to every machine, <see cref="Optional"/> only where the
/// data folder's settings enable it (<c>filix sync enable music</c>). Local tables have no <see cref="SyncTable"/>.</summary>
public enum SyncMode
{
    Sync,
    Optional,
}

/// <summary>
/// What sync needs to know about one shared table, emitted by the generator beside the table's upstream adapter
/// (<c>EntitiesUpstream.Sync</c>) and listed in <see cref="DatabaseSchema.SyncTables"/>. The names build every
/// statement of the protocol (capture triggers, the push and pull queries, the upstream merge); the typed part moves
/// one row between the dialects through the generated record, so values cross exactly as the repositories store them.
/// </summary>
public abstract class SyncTable
{
    private protected SyncTable(string domain, string name, SyncMode mode, IReadOnlyList<string> columns, IReadOnlyList<string> keyColumns, IReadOnlyList<string> parents)
    {
        Domain = domain;
        Name = name;
        Mode = mode;
        Columns = columns;
        KeyColumns = keyColumns;
        Parents = parents;
    }

    /// <summary>The domain, which is also the table's Postgres schema upstream.</summary>
    public string Domain { get; }

    /// <summary>The table's name, the same in SQLite and upstream.</summary>
    public string Name { get; }

    public SyncMode Mode { get; }

    /// <summary>Every column this build knows, in declaration order: the ordinals of the typed readers and writers.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The primary key's columns, in key order: a row's identity on every machine.</summary>
    public IReadOnlyList<string> KeyColumns { get; }

    /// <summary>The other tables of the domain this one refers to (foreign keys): applied before it.</summary>
    public IReadOnlyList<string> Parents { get; }

    /// <summary>Reads the row at ordinals 0..<see cref="Columns"/>.Count-1 of a SQLite reader and writes its columns
    /// to a binary COPY (the caller starts the row and may write more columns after these).</summary>
    public abstract void CopyToUpstream(SqliteDataReader reader, NpgsqlBinaryImporter importer);

    /// <summary>Reads the row at ordinals 0..<see cref="Columns"/>.Count-1 of a Postgres reader into SQLite stored
    /// forms, <c>values[offset..offset+Columns.Count]</c>, as a repository would bind them.</summary>
    public abstract void ReadFromUpstream(NpgsqlDataReader reader, object?[] values, int offset);
}

/// <summary>A <see cref="SyncTable"/> with the generated record's readers and writers.</summary>
public sealed class SyncTable<TRecord> : SyncTable
    where TRecord : class
{
    private readonly Func<SqliteDataReader, TRecord> _readLocal;
    private readonly Action<object?[], int, TRecord> _fillLocal;
    private readonly Func<NpgsqlDataReader, TRecord> _readUpstream;
    private readonly Action<NpgsqlBinaryImporter, TRecord> _writeUpstream;

    public SyncTable(
        string domain,
        string name,
        SyncMode mode,
        IReadOnlyList<string> columns,
        IReadOnlyList<string> keyColumns,
        IReadOnlyList<string> parents,
        Func<SqliteDataReader, TRecord> readLocal,
        Action<object?[], int, TRecord> fillLocal,
        Func<NpgsqlDataReader, TRecord> readUpstream,
        Action<NpgsqlBinaryImporter, TRecord> writeUpstream)
        : base(domain, name, mode, columns, keyColumns, parents)
    {
        _readLocal = readLocal;
        _fillLocal = fillLocal;
        _readUpstream = readUpstream;
        _writeUpstream = writeUpstream;
    }

    public override void CopyToUpstream(SqliteDataReader reader, NpgsqlBinaryImporter importer) => _writeUpstream(importer, _readLocal(reader));

    public override void ReadFromUpstream(NpgsqlDataReader reader, object?[] values, int offset) => _fillLocal(values, offset, _readUpstream(reader));
}

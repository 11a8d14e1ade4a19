using System.Reflection;
using Filix.Runtime;
using Filix.Runtime.Sync;
using Microsoft.Data.Sqlite;

namespace Filix.Sync.Tests.Machines;

/// <summary>The logical type of a column, as the generated record declares it (json: a string column whose SQLite DDL
/// checks <c>json_valid</c>).</summary>
internal enum ValueKind
{
    Text,
    Json,
    Integer,
    Real,
    Boolean,
    Uuid,
    Date,
    Timestamp,
}

/// <summary>One column of a shared table as the op generator sees it.</summary>
/// <param name="Parent">The table this column refers to (foreign key), or null.</param>
/// <param name="Unique">Part of a unique index other than the key: every write gives it a value never used before, so
/// two machines never collide on it (the collision policy has its own tests).</param>
internal sealed record ColumnModel(string Name, int Ordinal, ValueKind Kind, bool Nullable, bool Key, string? Parent, bool Unique, PropertyInfo Property);

/// <summary>
/// A shared table as the randomized harness drives it: its columns with their logical types (from the generated
/// record), foreign keys and unique indexes (from SQLite's catalog), and whether other tables refer to it.
/// </summary>
/// <remarks>
/// Parents are split by key: a key starting with <c>a</c> is <i>stable</i> (never deleted, so children may be added
/// under it on any machine at any time), one starting with <c>d</c> is <i>deletable</i> (never gets children). Hard
/// deletes of parents then never race an insert of a child elsewhere, so the random run converges without parking:
/// the parking policies (a child added under a parent deleted elsewhere) have their own tests.
/// </remarks>
internal sealed class TableModel
{
    private TableModel(Domain domain, SyncTable sync, IReadOnlyList<ColumnModel> columns, bool isParent)
    {
        Domain = domain;
        Sync = sync;
        Columns = columns;
        IsParent = isParent;
        KeyColumns = sync.KeyColumns.Select(k => columns.Single(c => c.Name == k)).ToArray();
        RecordType = sync.GetType().GetGenericArguments()[0];
    }

    public Domain Domain { get; }

    public SyncTable Sync { get; }

    public string Name => Sync.Name;

    public IReadOnlyList<ColumnModel> Columns { get; }

    public IReadOnlyList<ColumnModel> KeyColumns { get; }

    /// <summary>Some table (this one included) refers to this one.</summary>
    public bool IsParent { get; }

    public Type RecordType { get; }

    public override string ToString() => $"{Domain.Name}.{Name}";

    /// <summary>Whether a row with this key may be hard-deleted: any row of a table nobody refers to, only the
    /// deletable class of a parent.</summary>
    public bool MayDelete(object?[] key) => !IsParent || IsDeletableKey(key[0]);

    public static bool IsStableKey(object? key) => key is string s && s.StartsWith('a');

    public static bool IsDeletableKey(object? key) => key is string s && s.StartsWith('d');

    /// <summary>The models of <paramref name="domain"/>'s shared tables, parents first, read from an open database's
    /// catalog.</summary>
    public static IReadOnlyList<TableModel> Load(Domain domain, SqliteConnection connection)
    {
        var sync = domain.Schema.SyncTables;
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var perTable = new List<(SyncTable Table, List<ColumnModel> Columns)>();
        foreach (var table in sync)
        {
            var notNull = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var row in Rows(connection, $"SELECT name, \"notnull\" FROM pragma_table_info({SqlNames.Literal(table.Name)})"))
            {
                notNull[(string)row[0]!] = (long)row[1]! != 0;
            }

            var parents = Rows(connection, $"SELECT \"from\", \"table\" FROM pragma_foreign_key_list({SqlNames.Literal(table.Name)})")
                .ToDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);
            referenced.UnionWith(parents.Values);
            var unique = Rows(connection, $"SELECT ii.name FROM pragma_index_list({SqlNames.Literal(table.Name)}) il, pragma_index_info(il.name) ii WHERE il.\"unique\" = 1 AND il.origin = 'c'")
                .Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
            var ddl = (string)Rows(connection, $"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = {SqlNames.Literal(table.Name)}").Single()[0]!;
            var record = table.GetType().GetGenericArguments()[0];
            var columns = new List<ColumnModel>();
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var name = table.Columns[i];
                var property = record.GetProperty(Pascal(name))
                    ?? throw new InvalidOperationException($"The record {record.Name} of {domain.Name}.{table.Name} has no property {Pascal(name)} for column '{name}'.");
                var kind = KindOf(property.PropertyType, ddl.Contains($"json_valid({SqlNames.Quote(name)})", StringComparison.Ordinal));
                columns.Add(new ColumnModel(name, i, kind, !notNull[name], table.KeyColumns.Contains(name), parents.GetValueOrDefault(name), unique.Contains(name), property));
            }

            perTable.Add((table, columns));
        }

        return perTable.Select(t => new TableModel(domain, t.Table, t.Columns, referenced.Contains(t.Table.Name))).ToArray();
    }

    private static ValueKind KindOf(Type type, bool json)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) ? (json ? ValueKind.Json : ValueKind.Text)
            : t == typeof(long) ? ValueKind.Integer
            : t == typeof(double) ? ValueKind.Real
            : t == typeof(bool) ? ValueKind.Boolean
            : t == typeof(Guid) ? ValueKind.Uuid
            : t == typeof(DateOnly) ? ValueKind.Date
            : t == typeof(DateTimeOffset) ? ValueKind.Timestamp
            : throw new NotSupportedException($"The harness has no value generator for {type}.");
    }

    private static string Pascal(string snake) =>
        string.Concat(snake.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    internal static List<object?[]> Rows(SqliteConnection connection, string sql, params object?[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue("$p" + i, parameters[i] ?? DBNull.Value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}

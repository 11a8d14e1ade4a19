using System.Collections.Concurrent;
using System.Reflection;
using Filix.Runtime;
using Microsoft.Data.Sqlite;

namespace Filix.Sync.Tests.Machines;

/// <summary>How a chunk of writes reaches a machine's database.</summary>
internal enum WritePath
{
    /// <summary>The generated repositories (InsertAsync, UpsertAsync, UpdateAsync, DeleteAsync) through the writer.</summary>
    Repository,

    /// <summary>Plain SQL on another connection of this process, as a tool holding the file would.</summary>
    Sql,

    /// <summary>Python's <c>sqlite3</c> in a child process, as the team's scripts write (upserts as <c>INSERT OR REPLACE</c>).</summary>
    Python,
}

/// <summary>
/// Makes writes on a machine and reads back, for each, the version capture gave it and the row as stored: the oracle's
/// input. A write's version is read right after it, before this machine syncs again, so it is this machine's.
/// </summary>
internal static class Writers
{
    private static readonly ConcurrentDictionary<(Type, string), object> Repositories = new();

    public static async Task<List<Written>> WriteAsync(Machine machine, WritePath path, IReadOnlyList<Op> ops)
    {
        if (ops.Count == 0)
        {
            return [];
        }

        if (path == WritePath.Python)
        {
            return await PythonWriter.WriteAsync(machine, ops);
        }

        var written = new List<Written>();
        foreach (var op in ops)
        {
            var open = machine[op.Table.Domain.Name];
            if (path == WritePath.Repository)
            {
                await RepositoryWriteAsync(open, op);
            }
            else
            {
                SqlWrite(open.Raw, op);
            }

            written.AddRange(op.Touched.Select(t => ReadBack(machine, open.Raw, op, t.Key, t.As)));
        }

        return written;
    }

    /// <summary>The statement of <paramref name="op"/> with parameters named by <paramref name="parameter"/>
    /// (<c>$p0</c> in .NET, <c>?</c> in Python), and its values.</summary>
    public static (string Sql, object?[] Values) Statement(Op op, Func<int, string> parameter, bool orReplace = false)
    {
        var table = op.Table;
        var name = SqlNames.Quote(table.Name);
        var where = string.Join(" AND ", table.KeyColumns.Select((k, i) => $"{SqlNames.Quote(k.Name)} = {parameter(i)}"));
        switch (op.Kind)
        {
            case OpKind.Insert or OpKind.Upsert:
                var columns = string.Join(", ", table.Columns.Select(c => SqlNames.Quote(c.Name)));
                var values = string.Join(", ", table.Columns.Select(c => parameter(c.Ordinal)));
                var verb = op.Kind == OpKind.Upsert && orReplace ? "INSERT OR REPLACE" : "INSERT";
                var conflict = op.Kind == OpKind.Upsert && !orReplace
                    ? $" ON CONFLICT ({string.Join(", ", table.KeyColumns.Select(k => SqlNames.Quote(k.Name)))}) DO UPDATE SET "
                      + string.Join(", ", table.Columns.Where(c => !c.Key).Select(c => $"{SqlNames.Quote(c.Name)} = excluded.{SqlNames.Quote(c.Name)}"))
                    : string.Empty;
                return ($"{verb} INTO {name} ({columns}) VALUES ({values}){conflict}", op.Row!);
            case OpKind.Delete:
                return ($"DELETE FROM {name} WHERE {where}", op.Key);
            default:
                var set = op.Changes!.ToArray();
                var assignments = string.Join(", ", set.Select((c, i) => $"{SqlNames.Quote(table.Columns[c.Key].Name)} = {parameter(op.Key.Length + i)}"));
                return ($"UPDATE {name} SET {assignments} WHERE {where}", [.. op.Key, .. set.Select(c => c.Value)]);
        }
    }

    private static void SqlWrite(SqliteConnection raw, Op op)
    {
        var (sql, values) = Statement(op, i => "$p" + i);
        using var command = raw.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$p" + i, values[i] ?? DBNull.Value);
        }

        var changed = command.ExecuteNonQuery();
        Assert.True(changed == 1, $"{op}: raw SQL changed {changed} rows, expected 1.");
    }

    private static async Task RepositoryWriteAsync(OpenDomain open, Op op)
    {
        var repository = Repository(open.Typed, op.Table.Name);
        var type = repository.GetType();
        switch (op.Kind)
        {
            case OpKind.Insert or OpKind.Upsert:
                await (Task)type.GetMethod(op.Kind == OpKind.Insert ? "InsertAsync" : "UpsertAsync")!.Invoke(repository, [Record(op.Table, op.Row!), CancellationToken.None])!;
                break;
            case OpKind.Delete:
                var key = op.Table.KeyColumns.Select(k => StoredValues.ToLogical(k, op.Key[op.Table.KeyColumns.ToList().IndexOf(k)]));
                Assert.True(await (Task<bool>)type.GetMethod("DeleteAsync")!.Invoke(repository, [.. key, CancellationToken.None])!, $"{op}: DeleteAsync found no row.");
                break;
            default:
                Assert.True(await (Task<bool>)type.GetMethod("UpdateAsync")!.Invoke(repository, [Record(op.Table, op.After!), CancellationToken.None])!, $"{op}: UpdateAsync found no row.");
                break;
        }
    }

    /// <summary>The generated table object (<c>db.PaperAuthors</c>) whose <c>Name</c> is <paramref name="table"/>.</summary>
    private static object Repository(object typed, string table) => Repositories.GetOrAdd((typed.GetType(), table), static k =>
        k.Item1.GetProperties().Single(p => p.PropertyType.GetField("Name", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string == k.Item2))
        is PropertyInfo property ? property.GetValue(typed)! : throw new InvalidOperationException();

    /// <summary>The generated record holding <paramref name="row"/> (stored forms converted to the record's types).</summary>
    private static object Record(TableModel table, object?[] row)
    {
        var record = Activator.CreateInstance(table.RecordType)!;
        foreach (var column in table.Columns)
        {
            column.Property.SetValue(record, StoredValues.ToLogical(column, row[column.Ordinal]));
        }

        return record;
    }

    /// <summary>The capture entry and the stored row of the key <paramref name="op"/> wrote.</summary>
    public static Written ReadBack(Machine machine, SqliteConnection raw, Op op, object?[] key, OpKind kind)
    {
        var table = op.Table;
        var args = string.Join(", ", key.Select((_, i) => "$p" + (i + 1)));
        var mark = TableModel.Rows(raw, $"SELECT pk, hlc, origin, deleted FROM {CaptureView.Current} WHERE tbl = $p0 AND pk = json_array({args})", [table.Name, .. key]).SingleOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"{machine}: {op} left no _filix_rows entry: the write was not captured.");
        var where = string.Join(" AND ", table.KeyColumns.Select((k, i) => $"{SqlNames.Quote(k.Name)} = $p{i}"));
        var columns = string.Join(", ", table.Columns.Select(c => SqlNames.Quote(c.Name)));
        var row = TableModel.Rows(raw, $"SELECT {columns} FROM {SqlNames.Quote(table.Name)} WHERE {where}", key).SingleOrDefault();
        return Written.From(machine, op, kind, (string)mark[0]!, (long)mark[1]!, mark[2] as string, (long)mark[3]! != 0, row);
    }
}

/// <summary>One write as it landed: the version (<c>hlc</c>) capture gave it on <see cref="Machine"/>, and the row as
/// stored afterwards (null when deleted).</summary>
internal sealed record Written(string Table, string Pk, long Hlc, string Machine, bool Deleted, string? Row, string Description)
{
    /// <param name="kind">What the write did to this key (a key change deletes its old key and updates the new one).</param>
    public static Written From(Machine machine, Op op, OpKind kind, string pk, long hlc, string? origin, bool deleted, object?[]? row)
    {
        Assert.True(origin is null, $"{machine}: {op} ({pk}) was captured with origin '{origin}': a local write must have origin NULL.");
        Assert.True(deleted == (kind == OpKind.Delete), $"{machine}: {op} ({pk}) was captured with deleted={deleted}.");
        Assert.True((row is null) == (kind == OpKind.Delete), $"{machine}: {op} ({pk}): the row is {(row is null ? "missing" : "present")} after the write.");
        if (row is not null)
        {
            Assert.Equal(StoredValues.Canonical(op.After!), StoredValues.Canonical(row));
        }

        return new Written(op.Table.ToString(), pk, hlc, machine.Id, deleted, row is null ? null : StoredValues.Canonical(row), $"{machine.Id}: {op}");
    }
}

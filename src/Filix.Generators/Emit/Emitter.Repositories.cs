using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;
using Filix.Generators.Parsing;
using Filix.Generators.Sql;

namespace Filix.Generators.Emit;

internal static partial class Emitter
{
    private const string Db = "global::Filix.Runtime.FilixDatabase";
    private const string Session = "global::Filix.Runtime.Sqlite.SqliteSession";
    private const string Reader = "global::Microsoft.Data.Sqlite.SqliteDataReader";
    private const string Ct = "global::System.Threading.CancellationToken";

    /// <summary>The typed repository of a table: CRUD by key, batches, count, streaming scan and one lookup per
    /// declared index (and per proper prefix of a composite key). Statements are constants; readers use typed
    /// getters at constant ordinals; nothing is reflected.</summary>
    private static string EmitRepository(DomainSpec domain, TableSpec table)
    {
        var sql = new DmlBuilder(table, SqlDialect.Sqlite);
        var record = table.RecordName;
        var keys = KeyColumns(table);
        var w = Begin(domain);
        w.WriteSummary($"The '{table.Name}' table of the {domain.Name} database ({SyncTags.Name(table.Sync)}).");
        using (w.Open($"public sealed partial class {table.PluralName}Table"))
        {
            WriteConstant(w, "ScanSql", sql.Scan);
            WriteConstant(w, "CountSql", sql.Count);
            WriteConstant(w, "GetSql", sql.GetByKey);
            WriteConstant(w, "InsertSql", sql.Insert);
            WriteConstant(w, "UpsertSql", sql.Upsert);
            if (sql.Update is { } update)
            {
                WriteConstant(w, "UpdateSql", update);
            }

            WriteConstant(w, "DeleteSql", sql.Delete);
            w.WriteLine();
            w.WriteLine($"private static readonly global::System.Func<{Reader}, {record}> ReadRow = Read;");
            w.WriteLine();
            w.WriteLine($"private readonly {Db} _database;");
            w.WriteLine();
            w.WriteLine($"internal {table.PluralName}Table({Db} database) => _database = database;");
            w.WriteLine();
            w.WriteLine($"/// <summary>The table's name in SQL.</summary>");
            w.WriteLine($"public const string Name = {SourceWriter.Literal(table.Name)};");

            WriteGet(w, "GetAsync", $"The row with this primary key, or null.", "GetSql", keys, record);
            WriteWrite(w, "InsertAsync", "Inserts a row; fails if a row with its key exists.", "InsertSql", table, returnsBool: false);
            WriteWrite(w, "UpsertAsync", "Inserts a row, or updates every column of the row with the same key.", "UpsertSql", table, returnsBool: false);
            if (sql.Update is not null)
            {
                WriteWrite(w, "UpdateAsync", "Updates the row with the same key; false if there is none.", "UpdateSql", table, returnsBool: true);
            }

            WriteDelete(w, keys);
            WriteMany(w, "InsertManyAsync", "Inserts all rows in one transaction: all of them are stored, or none. Returns the number of rows written.", "InsertSql", table);
            // Upsert is DO NOTHING when every column is in the key, and SQLite counts no change for an existing row.
            WriteMany(w, "UpsertManyAsync", "Upserts all rows in one transaction: all of them are stored, or none. " + (sql.Update is null
                ? "Returns the number of rows inserted (a row whose key exists is already as given)."
                : "Returns the number of rows written."), "UpsertSql", table);
            WriteCountAndScan(w, record);
            WriteLookups(w, table, sql);
            WriteReadAndFill(w, table);
        }

        return w.ToString();
    }

    private static void WriteConstant(SourceWriter w, string name, string value) =>
        w.WriteLine($"private const string {name} = {SourceWriter.Literal(value)};");

    private static string Parameters(IEnumerable<ColumnSpec> columns) =>
        string.Join(", ", columns.Select(c => $"{CSharpTypes.PropertyType(c)} {Naming.ToParameterName(c.Name)}"));

    /// <summary>The state passed to a static lambda: the one argument, or a tuple of them.</summary>
    private static (string Value, List<string> Access) State(List<ColumnSpec> columns)
    {
        var names = columns.Select(c => Naming.ToParameterName(c.Name)).ToList();
        if (names.Count == 1)
        {
            return (names[0], new List<string> { "state" });
        }

        return ("(" + string.Join(", ", names) + ")", Enumerable.Range(1, names.Count).Select(i => "state.Item" + Int(i)).ToList());
    }

    private static void BindState(SourceWriter w, List<ColumnSpec> columns, List<string> access)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            w.WriteLine($"command.Parameters[{Int(i)}].Value = {CSharpTypes.SqliteBind(columns[i], access[i])};");
        }
    }

    private static void WriteGet(SourceWriter w, string method, string summary, string sqlName, List<ColumnSpec> columns, string record)
    {
        var (state, access) = State(columns);
        w.WriteLine();
        w.WriteSummary(summary);
        w.WriteLine($"public global::System.Threading.Tasks.ValueTask<{record}?> {method}({Parameters(columns)}, {Ct} cancellationToken = default) =>");
        w.Indentation++;
        using (w.Open($"_database.ReadAsync<{StateType(columns)}, {record}?>(static (session, state) =>", $"}}, {state}, cancellationToken);"))
        {
            w.WriteLine($"var command = session.Command({sqlName}, {Int(columns.Count)});");
            BindState(w, columns, access);
            w.WriteLine("using var reader = command.ExecuteReader();");
            w.WriteLine("return reader.Read() ? Read(reader) : null;");
        }

        w.Indentation--;
    }

    private static void WriteWrite(SourceWriter w, string method, string summary, string sqlName, TableSpec table, bool returnsBool)
    {
        w.WriteLine();
        w.WriteSummary(summary);
        var type = returnsBool ? "global::System.Threading.Tasks.Task<bool>" : "global::System.Threading.Tasks.Task";
        using (w.Open($"public {type} {method}({table.RecordName} row, {Ct} cancellationToken = default)"))
        {
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(row);");
            w.WriteLine($"return {Execute(sqlName, table.Columns.Count, "Values(row)", returnsBool)};");
        }
    }

    /// <summary>A call of <c>FilixDatabase.ExecuteAsync</c>: the write as a statement and its stored values, so it
    /// can go to another process's writer. <paramref name="one"/>: the task is whether exactly one row changed.</summary>
    private static string Execute(string sqlName, int parameterCount, string values, bool one)
    {
        var call = $"_database.ExecuteAsync({sqlName}, {Int(parameterCount)}, {values}, cancellationToken)";
        return one ? $"ChangedOneAsync({call})" : call;
    }

    private static void WriteMany(SourceWriter w, string method, string summary, string sqlName, TableSpec table)
    {
        var list = $"global::System.Collections.Generic.IReadOnlyCollection<{table.RecordName}>";
        var count = Int(table.Columns.Count);
        w.WriteLine();
        w.WriteSummary(summary);
        using (w.Open($"public global::System.Threading.Tasks.Task<int> {method}(global::System.Collections.Generic.IEnumerable<{table.RecordName}> rows, {Ct} cancellationToken = default)"))
        {
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(rows);");
            w.WriteLine("// Materialise first: the count sizes the values, and the caller's sequence is enumerated once.");
            w.WriteLine($"var batch = rows as {list} ?? global::System.Linq.Enumerable.ToList(rows);");
            w.WriteLine($"var values = new object?[batch.Count * {count}];");
            w.WriteLine("var offset = 0;");
            using (w.Open("foreach (var row in batch)"))
            {
                w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(row, nameof(rows));");
                w.WriteLine("Fill(values, offset, row);");
                w.WriteLine($"offset += {count};");
            }

            w.WriteLine($"return {Execute(sqlName, table.Columns.Count, "values", one: false)};");
        }
    }

    private static void WriteDelete(SourceWriter w, List<ColumnSpec> keys)
    {
        var values = "new object?[] { " + string.Join(", ", keys.Select(k => CSharpTypes.SqliteBind(k, Naming.ToParameterName(k.Name)))) + " }";
        w.WriteLine();
        w.WriteSummary("Deletes the row with this primary key; false if there is none.");
        w.WriteLine($"public global::System.Threading.Tasks.Task<bool> DeleteAsync({Parameters(keys)}, {Ct} cancellationToken = default) =>");
        w.WriteLine($"    {Execute("DeleteSql", keys.Count, values, one: true)};");
    }

    private static void WriteCountAndScan(SourceWriter w, string record)
    {
        w.WriteLine();
        w.WriteSummary("The number of rows.");
        w.WriteLine($"public global::System.Threading.Tasks.ValueTask<long> CountAsync({Ct} cancellationToken = default) =>");
        w.WriteLine("    _database.ReadAsync(static (session, _) => (long)session.Command(CountSql, 0).ExecuteScalar()!, 0, cancellationToken);");
        w.WriteLine();
        w.WriteSummary("Every row in primary key order, streamed: one read connection is held until the enumeration ends.");
        w.WriteLine($"public global::System.Collections.Generic.IAsyncEnumerable<{record}> ScanAsync({Ct} cancellationToken = default) =>");
        w.WriteLine("    _database.QueryAsync(ScanSql, 0, static (_, _) => { }, 0, ReadRow, cancellationToken);");
    }

    /// <summary>The lookups the parser planned (<see cref="TableSpec.Lookups"/>). Unique ones return one row
    /// (<c>GetBy…</c>), the others a list in key order (<c>FindBy…</c>).</summary>
    private static void WriteLookups(SourceWriter w, TableSpec table, DmlBuilder sql)
    {
        foreach (var lookup in table.Lookups)
        {
            var (names, unique) = (lookup.Columns, lookup.Unique);
            // SQL lets many rows hold NULL under UNIQUE, so a unique lookup takes non-null arguments: "the row
            // whose x is null" is not one row. Non-unique lookups of null are null-safe (IS).
            var columns = names.Select(n => Column(table, n)).Select(c => unique ? c with { Nullable = false } : c).ToList();
            var method = lookup.Name + "Async";
            var sqlName = lookup.Name + "Sql";
            WriteConstantSpaced(w, sqlName, sql.SelectWhere(names, columns.Select(c => c.Nullable)));
            if (unique)
            {
                WriteGet(w, method, $"The row whose {string.Join(", ", names)} equal the arguments, or null.", sqlName, columns, table.RecordName);
            }
            else
            {
                WriteFind(w, method, sqlName, columns, table.RecordName);
            }
        }
    }

    private static void WriteConstantSpaced(SourceWriter w, string name, string value)
    {
        w.WriteLine();
        WriteConstant(w, name, value);
    }

    private static void WriteFind(SourceWriter w, string method, string sqlName, List<ColumnSpec> columns, string record)
    {
        var (state, access) = State(columns);
        var list = $"global::System.Collections.Generic.List<{record}>";
        w.WriteLine();
        w.WriteSummary($"The rows whose {string.Join(", ", columns.Select(c => c.Name))} equal the arguments, in primary key order.");
        w.WriteLine($"public global::System.Threading.Tasks.ValueTask<global::System.Collections.Generic.IReadOnlyList<{record}>> {method}({Parameters(columns)}, {Ct} cancellationToken = default) =>");
        w.Indentation++;
        using (w.Open($"_database.ReadAsync<{StateType(columns)}, global::System.Collections.Generic.IReadOnlyList<{record}>>(static (session, state) =>", $"}}, {state}, cancellationToken);"))
        {
            w.WriteLine($"var command = session.Command({sqlName}, {Int(columns.Count)});");
            BindState(w, columns, access);
            w.WriteLine($"var rows = new {list}();");
            w.WriteLine("using var reader = command.ExecuteReader();");
            using (w.Open("while (reader.Read())"))
            {
                w.WriteLine("rows.Add(Read(reader));");
            }

            w.WriteLine("return rows;");
        }

        w.Indentation--;
    }

    private static string StateType(List<ColumnSpec> columns) => columns.Count == 1
        ? CSharpTypes.PropertyType(columns[0])
        : "(" + string.Join(", ", columns.Select(CSharpTypes.PropertyType)) + ")";

    private static void WriteReadAndFill(SourceWriter w, TableSpec table)
    {
        w.WriteLine();
        w.WriteSummary("Reads the current row of a reader over the table's columns in declaration order.");
        using (w.Open($"internal static {table.RecordName} Read({Reader} reader) => new()", "};"))
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var column = table.Columns[i];
                w.WriteLine($"{column.PropertyName} = {CSharpTypes.SqliteRead(column, i)},");
            }
        }

        w.WriteLine();
        w.WriteSummary("The stored forms of a row's columns in declaration order, the parameters of every row statement.");
        using (w.Open($"internal static object?[] Values({table.RecordName} row)"))
        {
            w.WriteLine($"var values = new object?[{Int(table.Columns.Count)}];");
            w.WriteLine("Fill(values, 0, row);");
            w.WriteLine("return values;");
        }

        w.WriteLine();
        using (w.Open($"internal static void Fill(object?[] values, int offset, {table.RecordName} row)"))
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var column = table.Columns[i];
                w.WriteLine($"values[offset + {Int(i)}] = {CSharpTypes.SqliteBind(column, "row." + column.PropertyName)};");
            }
        }

        // A helper, not an async UpdateAsync/DeleteAsync: their argument checks still throw at the call.
        w.WriteLine();
        w.WriteSummary("Whether a write by key changed its row (Update, Delete).");
        w.WriteLine("private static async global::System.Threading.Tasks.Task<bool> ChangedOneAsync(global::System.Threading.Tasks.Task<int> changes) =>");
        w.WriteLine("    await changes.ConfigureAwait(false) == 1;");
    }
}

using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;
using Filix.Generators.Parsing;
using Filix.Generators.Sql;

namespace Filix.Generators.Emit;

internal static partial class Emitter
{
    private const string Db = "global::Filix.Runtime.FilixDatabase";
    private const string Reads = "global::Filix.Runtime.Repositories.TableReads";
    private const string Writes = "global::Filix.Runtime.Repositories.TableWrites";
    private const string Statement = "global::Filix.Runtime.FilixStatement";
    private const string Reader = "global::Microsoft.Data.Sqlite.SqliteDataReader";
    private const string Ct = "global::System.Threading.CancellationToken";
    private const string AsyncTask = "global::System.Threading.Tasks.Task";
    private const string AsyncValueTask = "global::System.Threading.Tasks.ValueTask";

    /// <summary>The typed repository of a table: CRUD by key, batches, statements for units, count, streaming
    /// scan and one lookup per planned <see cref="LookupSpec"/>. Only what differs per table is generated (the SQL
    /// constants, the column binds, the typed read); the bodies are the runtime's (<c>TableReads</c>,
    /// <c>TableWrites</c>), so a fix to them needs no regenerated code.</summary>
    private static string EmitRepository(DomainSpec domain, TableSpec table)
    {
        var sql = new DmlBuilder(table, SqlDialect.Sqlite);
        var record = table.RecordName;
        var keys = KeyColumns(table);
        var w = Begin(domain);
        w.WriteSummary($"The '{table.Name}' table of the {domain.Name} database ({SyncTags.Name(table.Sync)}).");
        WriteGeneratedCode(w);
        using (w.Open($"public sealed partial class {table.PluralName}Table"))
        {
            w.WriteLine("/// <summary>The table's name in SQL.</summary>");
            w.WriteLine($"public const string Name = {SourceWriter.Literal(table.Name)};");
            w.WriteLine();
            w.WriteLine($"private const int ColumnCount = {Int(table.Columns.Count)};");
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
            foreach (var lookup in table.Lookups)
            {
                WriteConstant(w, lookup.Name + "Sql", sql.SelectWhere(lookup.Columns, lookup.NullableArguments));
            }

            w.WriteLine();
            w.WriteLine($"private readonly {Db} _database;");
            w.WriteLine();
            w.WriteLine($"internal {table.PluralName}Table({Db} database) => _database = database;");

            WriteRead(w, "GetAsync", "The row with this primary key, or null.", "GetSql", keys, record, unique: true);
            WriteWrites(w, table, keys, hasUpdate: sql.Update is not null);
            WriteUnitStatements(w, table, keys, hasUpdate: sql.Update is not null);
            WriteCountAndScan(w, record);
            if (table.Sync != SyncMode.Local)
            {
                WriteProvenance(w, keys);
            }

            foreach (var lookup in table.Lookups)
            {
                var columns = lookup.Columns.Select((n, i) => Column(table, n) with { Nullable = lookup.NullableArguments[i] }).ToList();
                var summary = lookup.Unique
                    ? $"The row whose {string.Join(", ", lookup.Columns)} equal the arguments, or null."
                    : $"The rows whose {string.Join(", ", lookup.Columns)} equal the arguments, in primary key order.";
                WriteRead(w, lookup.Name + "Async", summary, lookup.Name + "Sql", columns, record, lookup.Unique);
            }

            WriteReadAndFill(w, table, keys);
        }

        return w.ToString();
    }

    private static void WriteConstant(SourceWriter w, string name, string value) =>
        w.WriteLine($"private const string {name} = {SourceWriter.Literal(value)};");

    private static string Parameters(IEnumerable<ColumnSpec> columns) =>
        string.Join(", ", columns.Select(c => $"{CSharpTypes.PropertyType(c)} {Naming.ToParameterName(c.Name)}"));

    private static string Arguments(IEnumerable<ColumnSpec> columns) =>
        string.Join(", ", columns.Select(c => Naming.ToParameterName(c.Name)));

    /// <summary>A read by key or lookup: the arguments go to the runtime as one value or a named tuple
    /// (<c>state.EntityId</c>), bound by a static lambda, so the read allocates nothing of its own.</summary>
    private static void WriteRead(SourceWriter w, string method, string summary, string sqlName, List<ColumnSpec> columns, string record, bool unique)
    {
        var names = columns.Select(c => Naming.ToParameterName(c.Name)).ToList();
        var elements = columns.Select(c => Naming.ToTupleElementName(c.PropertyName)).ToList();
        var state = names.Count == 1 ? names[0] : "(" + string.Join(", ", names.Select((n, i) => $"{elements[i]}: {n}")) + ")";
        var access = names.Count == 1 ? new List<string> { "state" } : elements.Select(e => "state." + e).ToList();
        var result = unique ? $"{record}?" : $"global::System.Collections.Generic.IReadOnlyList<{record}>";
        w.WriteLine();
        w.WriteSummary(summary);
        w.WriteLine($"public {AsyncValueTask}<{result}> {method}({Parameters(columns)}, {Ct} cancellationToken = default) =>");
        w.Indentation++;
        var call = $"{Reads}.{(unique ? "OneAsync" : "ListAsync")}(_database, {sqlName}, {Int(columns.Count)}, static (command, state) =>";
        if (columns.Count == 1)
        {
            w.WriteLine($"{call} command.Parameters[0].Value = {CSharpTypes.SqliteBind(columns[0], "state")}, {state}, Read, cancellationToken);");
        }
        else
        {
            using (w.Open(call, $"}}, {state}, Read, cancellationToken);"))
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    w.WriteLine($"command.Parameters[{Int(i)}].Value = {CSharpTypes.SqliteBind(columns[i], access[i])};");
                }
            }
        }

        w.Indentation--;
    }

    /// <summary>The writes, each a statement and its stored values (<c>FilixDatabase.ExecuteAsync</c>), so they
    /// can go to another process's writer.</summary>
    private static void WriteWrites(SourceWriter w, TableSpec table, List<ColumnSpec> keys, bool hasUpdate)
    {
        var record = table.RecordName;
        var row = $"{record} row, {Ct} cancellationToken = default";
        WriteMember(w, "Inserts a row; fails if a row with its key exists.",
            $"public {AsyncTask} InsertAsync({row}) => _database.ExecuteAsync(InsertSql, ColumnCount, Values(row), cancellationToken);");
        WriteMember(w, "Inserts a row, or updates every column of the row with the same key.",
            $"public {AsyncTask} UpsertAsync({row}) => _database.ExecuteAsync(UpsertSql, ColumnCount, Values(row), cancellationToken);");
        if (hasUpdate)
        {
            WriteMember(w, "Updates the row with the same key; false if there is none.",
                $"public {AsyncTask}<bool> UpdateAsync({row}) =>\n    {Writes}.ChangedOneAsync(_database.ExecuteAsync(UpdateSql, ColumnCount, Values(row), cancellationToken));");
        }

        WriteMember(w, "Deletes the row with this primary key; false if there is none.",
            $"public {AsyncTask}<bool> DeleteAsync({Parameters(keys)}, {Ct} cancellationToken = default) =>\n    {Writes}.ChangedOneAsync(_database.ExecuteAsync(DeleteSql, {Int(keys.Count)}, Key({Arguments(keys)}), cancellationToken));");
        var rows = $"global::System.Collections.Generic.IEnumerable<{record}> rows, {Ct} cancellationToken = default";
        WriteMember(w, "Inserts all rows in one transaction: all of them are stored, or none. Returns the number of rows written.",
            $"public {AsyncTask}<int> InsertManyAsync({rows}) =>\n    {Writes}.ManyAsync(_database, InsertSql, ColumnCount, rows, Fill, cancellationToken);");

        // Upsert is DO NOTHING when every column is in the key, and SQLite counts no change for an existing row.
        WriteMember(w, "Upserts all rows in one transaction: all of them are stored, or none. " + (hasUpdate
                ? "Returns the number of rows written."
                : "Returns the number of rows inserted (a row whose key exists is already as given)."),
            $"public {AsyncTask}<int> UpsertManyAsync({rows}) =>\n    {Writes}.ManyAsync(_database, UpsertSql, ColumnCount, rows, Fill, cancellationToken);");
    }

    /// <summary>The same writes as statements, for <c>FilixDatabase.WriteTogetherAsync</c>: rows written as one
    /// unit whose foreign keys are checked at its end.</summary>
    private static void WriteUnitStatements(SourceWriter w, TableSpec table, List<ColumnSpec> keys, bool hasUpdate)
    {
        const string Unit = " Write it with others as one unit (WriteTogetherAsync).";
        var row = $"{table.RecordName} row";
        WriteMember(w, "The insert of a row, as a statement." + Unit, $"public {Statement} InsertStatement({row}) => new(Name, InsertSql, ColumnCount, Values(row));");
        WriteMember(w, "The upsert of a row, as a statement." + Unit, $"public {Statement} UpsertStatement({row}) => new(Name, UpsertSql, ColumnCount, Values(row));");
        if (hasUpdate)
        {
            WriteMember(w, "The update of a row by its key, as a statement." + Unit, $"public {Statement} UpdateStatement({row}) => new(Name, UpdateSql, ColumnCount, Values(row));");
        }

        WriteMember(w, "The delete of the row with this primary key, as a statement." + Unit,
            $"public {Statement} DeleteStatement({Parameters(keys)}) => new(Name, DeleteSql, {Int(keys.Count)}, Key({Arguments(keys)}));");
    }

    private static void WriteMember(SourceWriter w, string summary, string code)
    {
        w.WriteLine();
        w.WriteSummary(summary);
        w.WriteLine(code);
    }

    private static void WriteCountAndScan(SourceWriter w, string record)
    {
        WriteMember(w, "The number of rows.",
            $"public {AsyncValueTask}<long> CountAsync({Ct} cancellationToken = default) => {Reads}.CountAsync(_database, CountSql, cancellationToken);");
        WriteMember(w, "Every row in primary key order, streamed: one read connection is held until the enumeration ends.",
            $"public global::System.Collections.Generic.IAsyncEnumerable<{record}> ScanAsync({Ct} cancellationToken = default) =>\n    {Reads}.ScanAsync(_database, ScanSql, Read, cancellationToken);");
    }

    /// <summary>A shared table's provenance by key: thin, the runtime reads it (FilixSync.ProvenanceAsync, the
    /// <c>_filix_provenance</c> view), so what it means can change without regenerating code.</summary>
    private static void WriteProvenance(SourceWriter w, List<ColumnSpec> keys) =>
        WriteMember(w, "Which machine last wrote the row with this primary key (or deleted it), when, and whether that version has been pushed upstream; null when no version of it was ever recorded.",
            $"public {AsyncTask}<global::Filix.Runtime.Sync.RowProvenance?> ProvenanceAsync({Parameters(keys)}, {Ct} cancellationToken = default) =>\n    global::Filix.Runtime.Sync.FilixSync.ProvenanceAsync(_database, Name, Key({Arguments(keys)}), cancellationToken);");

    private static void WriteReadAndFill(SourceWriter w, TableSpec table, List<ColumnSpec> keys)
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

        WriteMember(w, "The stored forms of a row's columns in declaration order, the parameters of every row statement.",
            $"internal static object?[] Values({table.RecordName} row) => {Writes}.Values(row, ColumnCount, Fill);");
        w.WriteLine();
        using (w.Open($"internal static void Fill(object?[] values, int offset, {table.RecordName} row)"))
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var column = table.Columns[i];
                w.WriteLine($"values[offset + {Int(i)}] = {CSharpTypes.SqliteBind(column, "row." + column.PropertyName)};");
            }
        }

        var stored = string.Join(", ", keys.Select(k => CSharpTypes.SqliteBind(k, Naming.ToParameterName(k.Name))));
        WriteMember(w, "The stored forms of a primary key, the parameters of the delete.",
            $"private static object?[] Key({Parameters(keys)}) => new object?[] {{ {stored} }};");
    }
}

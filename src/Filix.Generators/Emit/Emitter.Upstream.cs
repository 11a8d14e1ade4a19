using System.Linq;
using Filix.Generators.Model;
using Filix.Generators.Sql;

namespace Filix.Generators.Emit;

internal static partial class Emitter
{
    private const string NpgsqlConnection = "global::Npgsql.NpgsqlConnection";

    /// <summary>The Postgres side of a shared table: upsert, scan and count with Npgsql's native types. Sync
    /// builds on these; they take an open connection (and the caller's transaction) and never open their own.
    /// The table is qualified with the domain's schema (named after the domain, where the migrations create it), so
    /// the adapters work whatever the connection's search_path and beside another domain's table of the same name.</summary>
    private static string EmitUpstream(DomainSpec domain, TableSpec table)
    {
        var sql = new DmlBuilder(table, SqlDialect.Postgres, schema: domain.Name);
        var record = table.RecordName;
        var w = Begin(domain);
        w.WriteSummary($"The '{table.Name}' table in the Postgres upstream, in the domain's schema '{domain.Name}'.");
        WriteGeneratedCode(w);
        using (w.Open($"public static partial class {table.PluralName}Upstream"))
        {
            WriteConstant(w, "UpsertSql", sql.Upsert);
            WriteConstant(w, "ScanSql", sql.Scan);
            WriteConstant(w, "CountSql", sql.Count);
            w.WriteLine();
            w.WriteSummary("Upserts the rows, one prepared statement reused for each; returns the number written.");
            using (w.Open($"public static async global::System.Threading.Tasks.Task<int> UpsertAsync({NpgsqlConnection} connection, global::System.Collections.Generic.IEnumerable<{record}> rows, {Ct} cancellationToken = default)"))
            {
                w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(connection);");
                w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(rows);");
                w.WriteLine("await using var command = new global::Npgsql.NpgsqlCommand(UpsertSql, connection);");
                foreach (var column in table.Columns)
                {
                    w.WriteLine($"command.Parameters.Add(new global::Npgsql.NpgsqlParameter {{ NpgsqlDbType = {CSharpTypes.NpgsqlDbType(column.Type)} }});");
                }

                w.WriteLine("await command.PrepareAsync(cancellationToken).ConfigureAwait(false);");
                w.WriteLine("var count = 0;");
                using (w.Open("foreach (var row in rows)"))
                {
                    for (var i = 0; i < table.Columns.Count; i++)
                    {
                        var column = table.Columns[i];
                        w.WriteLine($"command.Parameters[{Int(i)}].Value = {CSharpTypes.PostgresBind(column, "row." + column.PropertyName)};");
                    }

                    w.WriteLine("count += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);");
                }

                w.WriteLine("return count;");
            }

            w.WriteLine();
            w.WriteSummary("Every row, in primary key order.");
            using (w.Open($"public static async global::System.Collections.Generic.IAsyncEnumerable<{record}> ScanAsync({NpgsqlConnection} connection, [global::System.Runtime.CompilerServices.EnumeratorCancellation] {Ct} cancellationToken = default)"))
            {
                w.WriteLine("await using var command = new global::Npgsql.NpgsqlCommand(ScanSql, connection);");
                w.WriteLine("await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);");
                using (w.Open("while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))"))
                {
                    w.WriteLine("yield return Read(reader);");
                }
            }

            w.WriteLine();
            w.WriteSummary("The number of rows upstream.");
            using (w.Open($"public static async global::System.Threading.Tasks.Task<long> CountAsync({NpgsqlConnection} connection, {Ct} cancellationToken = default)"))
            {
                w.WriteLine("await using var command = new global::Npgsql.NpgsqlCommand(CountSql, connection);");
                w.WriteLine("return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;");
            }

            w.WriteLine();
            WriteSyncTable(w, domain, table);
            w.WriteLine();
            using (w.Open($"internal static {record} Read(global::Npgsql.NpgsqlDataReader reader) => new()", "};"))
            {
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    var column = table.Columns[i];
                    w.WriteLine($"{column.PropertyName} = {CSharpTypes.PostgresRead(column, i)},");
                }
            }
        }

        return w.ToString();
    }

    /// <summary>The table's <c>SyncTable</c>: names for the protocol's statements and the typed copy of one row each
    /// way (the repository's SQLite reader and binder, this adapter's Npgsql reader, and <c>WriteCopy</c>).</summary>
    private static void WriteSyncTable(SourceWriter w, DomainSpec domain, TableSpec table)
    {
        var record = table.RecordName;
        var mode = table.Sync == SyncMode.Optional ? "Optional" : "Sync";
        var parents = table.Columns.Where(c => c.References is { } r && r.Table != table.Name && domain.Tables.Any(t => t.Name == r.Table && t.Sync != SyncMode.Local))
            .Select(c => c.References!.Table).Distinct().ToList();
        w.WriteSummary("What filix sync needs to move this table's rows (listed in the schema's SyncTables).");
        w.WriteLine($"public static global::Filix.Runtime.Sync.SyncTable Sync {{ get; }} = new global::Filix.Runtime.Sync.SyncTable<{record}>(");
        w.WriteLine($"    {SourceWriter.Literal(domain.Name)}, {SourceWriter.Literal(table.Name)}, global::Filix.Runtime.Sync.SyncMode.{mode},");
        w.WriteLine($"    new string[] {{ {string.Join(", ", table.Columns.Select(c => SourceWriter.Literal(c.Name)))} }},");
        w.WriteLine($"    new string[] {{ {string.Join(", ", table.PrimaryKey.Select(SourceWriter.Literal))} }},");
        w.WriteLine(parents.Count == 0 ? "    global::System.Array.Empty<string>()," : $"    new string[] {{ {string.Join(", ", parents.Select(SourceWriter.Literal))} }},");
        w.WriteLine($"    {table.PluralName}Table.Read, {table.PluralName}Table.Fill, Read, WriteCopy);");
        w.WriteLine();
        w.WriteSummary("Writes the row's columns, in declaration order, to a binary COPY whose row the caller started.");
        using (w.Open($"internal static void WriteCopy(global::Npgsql.NpgsqlBinaryImporter importer, {record} row)"))
        {
            foreach (var column in table.Columns)
            {
                var type = CSharpTypes.NpgsqlDbType(column.Type);
                if (column.Nullable)
                {
                    w.WriteLine($"if (row.{column.PropertyName} is {{ }} {Local(column)}) importer.Write({CopyValue(column, Local(column))}, {type}); else importer.WriteNull();");
                }
                else
                {
                    w.WriteLine($"importer.Write({CopyValue(column, "row." + column.PropertyName)}, {type});");
                }
            }
        }
    }

    private static string Local(ColumnSpec column) => "v" + column.PropertyName;

    /// <summary>timestamptz takes only UTC values, to the microsecond: the one conversion the COPY needs.</summary>
    private static string CopyValue(ColumnSpec column, string value) =>
        column.Type == ColumnType.Timestamp ? $"global::Filix.Runtime.FilixTimestamp.Truncate({value})" : value;
}

using System.Diagnostics;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Filix.Sync.Bench;

/// <summary>A peer's (or probe's) time for one domain.</summary>
internal sealed record PeerRun(string Peer, string Domain, long Rows, double Seconds);

/// <summary>
/// The ceilings the sync is compared with, run in the same process against the same rows:
/// <list type="bullet">
/// <item><b>copy</b>: a plain SELECT of each table from the SQLite file, each row through the generated typed copy
/// (<see cref="Runtime.Sync.SyncTable.CopyToUpstream"/>, the same code the engine uses), binary COPY straight into the
/// domain's tables in an empty database migrated by the same recorded migrations (keys, indexes, deferred foreign
/// keys; no sync columns, no staging, no merge), one transaction per <c>batch</c> rows.</item>
/// <item><b>select</b>: a plain SELECT of each upstream table streamed through the typed read
/// (<see cref="Runtime.Sync.SyncTable.ReadFromUpstream"/>) into prepared INSERTs of a SQLite file created from the
/// domain's DDL (WAL, synchronous=NORMAL, foreign keys on, as Filix opens files; no capture triggers), one
/// transaction per <c>batch</c> rows.</item>
/// <item>probes that split those in two: the SQLite read alone, the upstream read alone.</item>
/// </list>
/// </summary>
internal static class Peers
{
    public static async Task MigrateAsync(string connectionString, DatabaseSchema schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await PostgresMigrations.MigrateAsync(connection, schema);
    }

    public static async Task<PeerRun> CopyAsync(string sqliteFile, string connectionString, DatabaseSchema schema, int batch)
    {
        await using var upstream = new NpgsqlConnection(connectionString);
        await upstream.OpenAsync();
        using var local = OpenRead(sqliteFile);
        long rows = 0;
        var watch = Stopwatch.StartNew();
        foreach (var table in schema.SyncTables)
        {
            using var select = local.CreateCommand();
            select.CommandText = $"SELECT {Sql.Columns(table.Columns)} FROM {Sql.Quote(table.Name)}";
            using var reader = select.ExecuteReader();
            var copy = $"COPY {Sql.Quote(schema.PostgresSchema)}.{Sql.Quote(table.Name)} ({Sql.Columns(table.Columns)}) FROM STDIN (FORMAT BINARY)";
            var more = true;
            while (more)
            {
                await using var transaction = await upstream.BeginTransactionAsync();
                var inBatch = 0;
                await using (var importer = await upstream.BeginBinaryImportAsync(copy))
                {
                    while (inBatch < batch && (more = reader.Read()))
                    {
                        await importer.StartRowAsync();
                        table.CopyToUpstream(reader, importer);
                        inBatch++;
                    }

                    await importer.CompleteAsync();
                }

                await transaction.CommitAsync();
                rows += inBatch;
            }
        }

        return new PeerRun($"copy ({batch:N0}-row transactions)", schema.Domain, rows, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The SQLite half of a push at its floor: every row of every shared table read in table order by a plain
    /// SELECT, each value boxed (the typed copy reads the same values through typed getters).</summary>
    public static PeerRun ReadLocal(string sqliteFile, DatabaseSchema schema)
    {
        using var local = OpenRead(sqliteFile);
        long rows = 0;
        var watch = Stopwatch.StartNew();
        foreach (var table in schema.SyncTables)
        {
            using var select = local.CreateCommand();
            select.CommandText = $"SELECT {Sql.Columns(table.Columns)} FROM {Sql.Quote(table.Name)}";
            using var reader = select.ExecuteReader();
            var values = new object[table.Columns.Count];
            while (reader.Read())
            {
                reader.GetValues(values);
                rows++;
            }
        }

        return new PeerRun("local read only (plain SELECT of each table)", schema.Domain, rows, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The SQLite half of a push alone: the pending local changes read with the design's batch query
    /// (SYNC-DESIGN.md, "Reading a pending batch for push": <c>_filix_rows</c> joined to the table by the key in its
    /// JSON, ordered by version, <paramref name="batch"/> rows at a time from a version cursor; <c>INDEXED BY
    /// "_filix_rows_hlc"</c> as the engine's LocalSql.Pending has it), every value boxed. Each table is read to its end
    /// once: the engine instead re-reads every table at every batch (see docs/benchmarks.md, "Sync").</summary>
    public static PeerRun ReadPending(string sqliteFile, DatabaseSchema schema, int batch)
    {
        using var local = OpenRead(sqliteFile);
        long rows = 0;
        var watch = Stopwatch.StartNew();
        foreach (var table in schema.SyncTables)
        {
            var join = string.Join(" AND ", table.KeyColumns.Select((k, i) => $"t.{Sql.Quote(k)} = json_extract(r.\"pk\", '$[{i}]')"));
            using var select = local.CreateCommand();
            select.CommandText =
                $"SELECT {string.Join(", ", table.Columns.Select(c => "t." + Sql.Quote(c)))}, r.\"pk\", r.\"hlc\", r.\"deleted\" " +
                $"FROM \"_filix_rows\" r INDEXED BY \"_filix_rows_hlc\" LEFT JOIN {Sql.Quote(table.Name)} t ON r.\"deleted\" = 0 AND {join} " +
                $"WHERE r.\"tbl\" = {Sql.Literal(table.Name)} AND r.\"origin\" IS NULL AND r.\"hlc\" > $cursor ORDER BY r.\"hlc\" LIMIT {batch}";
            var cursor = select.Parameters.AddWithValue("$cursor", 0L);
            var values = new object[table.Columns.Count + 3];
            var more = true;
            while (more)
            {
                using var reader = select.ExecuteReader();
                var inBatch = 0;
                while (reader.Read())
                {
                    reader.GetValues(values);
                    cursor.Value = reader.GetInt64(table.Columns.Count + 1);
                    inBatch++;
                }

                rows += inBatch;
                more = inBatch == batch;
            }
        }

        return new PeerRun($"local read only (the engine's pending query, {batch:N0} a batch, each table read once to its end)", schema.Domain, rows, watch.Elapsed.TotalSeconds);
    }

    public static async Task<PeerRun> SelectIntoSqliteAsync(string connectionString, string sqliteFile, DatabaseSchema schema, int batch)
    {
        CreatePlain(sqliteFile, schema);
        await using var upstream = new NpgsqlConnection(connectionString);
        await upstream.OpenAsync();
        using var local = new SqliteConnection($"Data Source={sqliteFile};Pooling=False");
        local.Open();
        Pragmas(local);
        long rows = 0;
        var watch = Stopwatch.StartNew();
        foreach (var table in schema.SyncTables)
        {
            var n = table.Columns.Count;
            using var insert = local.CreateCommand();
            insert.CommandText = $"INSERT INTO {Sql.Quote(table.Name)} ({Sql.Columns(table.Columns)}) VALUES ({string.Join(", ", Enumerable.Range(1, n).Select(i => "$" + i))})";
            for (var i = 0; i < n; i++)
            {
                insert.Parameters.Add(new SqliteParameter("$" + (i + 1), null));
            }

            var values = new object?[n];
            await using var select = new NpgsqlCommand($"SELECT {Sql.Columns(table.Columns)} FROM {Sql.Quote(schema.PostgresSchema)}.{Sql.Quote(table.Name)}", upstream);
            await using var reader = await select.ExecuteReaderAsync();
            SqliteTransaction? transaction = null;
            var inBatch = 0;
            while (await reader.ReadAsync())
            {
                if (transaction is null)
                {
                    transaction = local.BeginTransaction();
                    insert.Transaction = transaction;
                    insert.Prepare();
                }

                table.ReadFromUpstream(reader, values, 0);
                for (var i = 0; i < n; i++)
                {
                    insert.Parameters[i].Value = values[i] ?? DBNull.Value;
                }

                insert.ExecuteNonQuery();
                rows++;
                if (++inBatch == batch)
                {
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = null;
                    inBatch = 0;
                }
            }

            transaction?.Commit();
            transaction?.Dispose();
        }

        return new PeerRun($"select -> SQLite inserts ({batch:N0}-row transactions)", schema.Domain, rows, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The upstream half of a pull alone: a plain SELECT of every table streamed through the typed read.</summary>
    public static async Task<PeerRun> ReadUpstreamAsync(string connectionString, DatabaseSchema schema)
    {
        await using var upstream = new NpgsqlConnection(connectionString);
        await upstream.OpenAsync();
        long rows = 0;
        var watch = Stopwatch.StartNew();
        foreach (var table in schema.SyncTables)
        {
            var values = new object?[table.Columns.Count];
            await using var select = new NpgsqlCommand($"SELECT {Sql.Columns(table.Columns)} FROM {Sql.Quote(schema.PostgresSchema)}.{Sql.Quote(table.Name)}", upstream);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                table.ReadFromUpstream(reader, values, 0);
                rows++;
            }
        }

        return new PeerRun("upstream read only (SELECT, typed read)", schema.Domain, rows, watch.Elapsed.TotalSeconds);
    }

    private static SqliteConnection OpenRead(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static void CreatePlain(string file, DatabaseSchema schema)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        Pragmas(connection);
        foreach (var statement in schema.SqliteDdl)
        {
            using var command = connection.CreateCommand();
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }
    }

    private static void Pragmas(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
        command.ExecuteNonQuery();
    }
}

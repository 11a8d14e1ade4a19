using System.Diagnostics;
using System.Globalization;
using Filix.Runtime;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Filix.Sync.Bench;

/// <summary>
/// Where a pull's local time goes, by construction: the same pulled rows (read once from the upstream into memory, so
/// the upstream read is not in these timings) applied to empty SQLite files with one more piece of the apply at each
/// step, raw Microsoft.Data.Sqlite, prepared statements, one transaction per <c>batch</c> rows:
/// <list type="number">
/// <item>plain INSERT into the domain's tables (the select peer's local half);</item>
/// <item>the upsert the engine runs (<c>INSERT … ON CONFLICT (keys) DO UPDATE</c>);</item>
/// <item>+ the <c>_filix_rows</c> record of each row (<c>INSERT … ON CONFLICT (tbl, pk) DO UPDATE</c>);</item>
/// <item>+ the last-write-wins lookup of each row in <c>_filix_rows</c> before it;</item>
/// <item>the same in a database Filix created (capture triggers present, skipped through <c>_filix_applying</c>,
/// inserted at the start of each transaction and deleted at its end, as the engine does).</item>
/// </list>
/// The statements are the design's (SYNC-DESIGN.md, "Local apply"), written out here; the Filix pull of the same rows
/// in the same run is the engine's actual figure.
/// </summary>
internal static class PullLadder
{
    private sealed record TableRows(Runtime.Sync.SyncTable Table, List<object?[]> Rows);

    public static async Task RunAsync(BenchCluster cluster, string work, double scale, int batch, Report report)
    {
        var a = Path.Combine(work, "a");
        report.Step($"Setup: seed A (scale {scale.ToString(CultureInfo.InvariantCulture)}), push A with Filix");
        Domains.Seed(a, scale);
        var upstream = await cluster.CreateDatabaseAsync("ladder");
        foreach (var schema in Domains.Synced)
        {
            await Peers.MigrateAsync(upstream, schema);
        }

        var push = await SyncChild.SpawnAsync("push", a, upstream, "bench-a", batch);
        report.Line($"pushed {push.Rows:N0} rows in {Report.F(push.Seconds)} s");

        var b = Path.Combine(work, "b");
        Directory.CreateDirectory(b);
        var pull = await SyncChild.SpawnAsync("pull", b, upstream, "bench-b", batch);

        var data = new Dictionary<string, List<TableRows>>();
        foreach (var schema in Domains.Synced)
        {
            data[schema.Domain] = await ReadAsync(upstream, schema);
        }

        var rows = data.Values.Sum(d => d.Sum(t => (long)t.Rows.Count));
        var steps = new List<(string Step, double Seconds)>();
        foreach (var (step, apply) in Steps())
        {
            var folder = Path.Combine(work, "ladder-" + steps.Count.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var seconds = 0.0;
            foreach (var schema in Domains.Synced)
            {
                var file = Path.Combine(folder, schema.FileName);
                if (step.StartsWith("5", StringComparison.Ordinal))
                {
                    // Created by Filix: the migrator installs the bookkeeping tables and the capture triggers.
                    await using (await FilixDatabase.OpenAsync(file, schema))
                    {
                    }
                }
                else
                {
                    Create(file, schema);
                }

                seconds += apply(file, data[schema.Domain], batch);
            }

            steps.Add((step, seconds));
        }

        report.Step($"Where a pull's local time goes ({rows:N0} rows, {batch:N0}-row transactions)");
        var table = new List<IReadOnlyList<string>>
        {
            new[] { "Filix pull (FilixSync.PullAsync, upstream read included)", Report.F(pull.Seconds, "N3"), Report.Rate(pull.Rows, pull.Seconds), "-" },
        };
        var previous = 0.0;
        foreach (var (step, seconds) in steps)
        {
            table.Add([step, Report.F(seconds, "N3"), Report.Rate(rows, seconds), previous == 0 ? "-" : "+" + Report.F(1e6 * (seconds - previous) / rows, "N1") + " µs/row"]);
            previous = seconds;
        }

        report.Table(["what", "seconds", "rows/s", "added by this step"], table);
        report.Figure("pullLadder", new { rows, batch, filixPull = pull, steps = steps.Select(s => new { s.Step, s.Seconds }) });
    }

    private static IEnumerable<(string, Func<string, List<TableRows>, int, double>)> Steps()
    {
        yield return ("1. plain INSERT", (f, d, n) => Apply(f, d, n, upsert: false, record: false, lookup: false, applying: false));
        yield return ("2. upsert (ON CONFLICT DO UPDATE)", (f, d, n) => Apply(f, d, n, upsert: true, record: false, lookup: false, applying: false));
        yield return ("3. + _filix_rows record", (f, d, n) => Apply(f, d, n, upsert: true, record: true, lookup: false, applying: false));
        yield return ("4. + LWW lookup in _filix_rows", (f, d, n) => Apply(f, d, n, upsert: true, record: true, lookup: true, applying: false));
        yield return ("5. + capture triggers (skipped via _filix_applying)", (f, d, n) => Apply(f, d, n, upsert: true, record: true, lookup: true, applying: true));
    }

    /// <summary>Columns 0..n-1 then _filix_pk, _filix_version, synced_from, as the engine's pull window reads them.</summary>
    private static async Task<List<TableRows>> ReadAsync(string upstream, DatabaseSchema schema)
    {
        await using var connection = new NpgsqlConnection(upstream);
        await connection.OpenAsync();
        var result = new List<TableRows>();
        foreach (var table in schema.SyncTables)
        {
            var n = table.Columns.Count;
            var rows = new List<object?[]>();
            await using var select = new NpgsqlCommand($"SELECT {Sql.Columns(table.Columns)}, \"_filix_pk\", \"_filix_version\", \"synced_from\" FROM {Sql.Quote(schema.PostgresSchema)}.{Sql.Quote(table.Name)} ORDER BY \"_filix_xid\"", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var values = new object?[n + 3];
                table.ReadFromUpstream(reader, values, 0);
                values[n] = reader.GetString(n);
                values[n + 1] = reader.GetInt64(n + 1);
                values[n + 2] = reader.GetString(n + 2);
                rows.Add(values);
            }

            result.Add(new TableRows(table, rows));
        }

        return result;
    }

    private static double Apply(string file, List<TableRows> data, int batch, bool upsert, bool record, bool lookup, bool applying)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        // As Filix opens its connections (ConnectionPolicy), temp_store=MEMORY included: a statement on a table with
        // triggers keeps a statement journal, which would otherwise go to a temp file.
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;");
        var watch = Stopwatch.StartNew();
        foreach (var (table, rows) in data)
        {
            var n = table.Columns.Count;
            var keys = string.Join(", ", table.KeyColumns.Select(Sql.Quote));
            var nonKeys = table.Columns.Where(c => !table.KeyColumns.Contains(c)).ToList();
            using var write = Prepared(connection, n,
                $"INSERT INTO {Sql.Quote(table.Name)} ({Sql.Columns(table.Columns)}) VALUES ({string.Join(", ", Enumerable.Range(0, n).Select(i => "$p" + i))})" +
                (upsert ? $" ON CONFLICT ({keys}) " + (nonKeys.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", nonKeys.Select(c => $"{Sql.Quote(c)} = excluded.{Sql.Quote(c)}"))) : string.Empty));
            using var recordRow = Prepared(connection, 5,
                "INSERT INTO \"_filix_rows\" (\"tbl\", \"pk\", \"hlc\", \"origin\", \"deleted\") VALUES ($p0, $p1, $p2, $p3, $p4) " +
                "ON CONFLICT (\"tbl\", \"pk\") DO UPDATE SET \"hlc\" = excluded.\"hlc\", \"origin\" = excluded.\"origin\", \"deleted\" = excluded.\"deleted\"");
            using var version = Prepared(connection, 2, "SELECT \"hlc\", \"origin\" FROM \"_filix_rows\" WHERE \"tbl\" = $p0 AND \"pk\" = $p1");
            SqliteTransaction? transaction = null;
            var inBatch = 0;
            foreach (var values in rows)
            {
                if (transaction is null)
                {
                    transaction = connection.BeginTransaction();
                    write.Transaction = recordRow.Transaction = version.Transaction = transaction;
                    if (applying)
                    {
                        Execute(connection, "INSERT INTO \"_filix_applying\" (\"x\") VALUES (1)", transaction);
                    }
                }

                if (lookup)
                {
                    version.Parameters[0].Value = table.Name;
                    version.Parameters[1].Value = values[n];
                    using var reader = version.ExecuteReader();
                    if (reader.Read() && reader.GetInt64(0) >= (long)values[n + 1]!)
                    {
                        continue;
                    }
                }

                for (var c = 0; c < n; c++)
                {
                    write.Parameters[c].Value = values[c] ?? DBNull.Value;
                }

                write.ExecuteNonQuery();
                if (record)
                {
                    recordRow.Parameters[0].Value = table.Name;
                    recordRow.Parameters[1].Value = values[n];
                    recordRow.Parameters[2].Value = values[n + 1];
                    recordRow.Parameters[3].Value = values[n + 2];
                    recordRow.Parameters[4].Value = 0L;
                    recordRow.ExecuteNonQuery();
                }

                if (++inBatch == batch)
                {
                    Commit(connection, ref transaction, applying);
                    inBatch = 0;
                }
            }

            if (transaction is not null)
            {
                Commit(connection, ref transaction, applying);
            }
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static void Commit(SqliteConnection connection, ref SqliteTransaction? transaction, bool applying)
    {
        if (applying)
        {
            Execute(connection, "DELETE FROM \"_filix_applying\"", transaction);
        }

        transaction!.Commit();
        transaction.Dispose();
        transaction = null;
    }

    private static SqliteCommand Prepared(SqliteConnection connection, int parameters, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i, null));
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>The domain's tables plus the design's <c>_filix_rows</c> (CaptureSql.Tables), no triggers.</summary>
    private static void Create(string file, DatabaseSchema schema)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL");
        foreach (var statement in schema.SqliteDdl.Append(
            """CREATE TABLE "_filix_rows" ("tbl" TEXT NOT NULL, "pk" TEXT NOT NULL, "hlc" INTEGER NOT NULL, "origin" TEXT, "deleted" INTEGER NOT NULL DEFAULT 0, PRIMARY KEY ("tbl", "pk")) WITHOUT ROWID""").Append(
            """CREATE INDEX "_filix_rows_hlc" ON "_filix_rows" ("hlc")"""))
        {
            Execute(connection, statement);
        }
    }
}

using Filix.Runtime.Sqlite;
using Filix.Runtime.Sync.Upstream;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Filix.Runtime.Sync.Engine;

/// <summary>The slice of one table's pending changes a push batch carries: local versions in (From, To].</summary>
internal sealed class PushSlice(TableRun table, long from)
{
    public TableRun Table { get; } = table;

    public long From { get; } = from;

    public long To { get; set; } = from;

    public int Rows { get; set; }

    /// <summary>How many of <see cref="Rows"/> are deletes: a merge with nothing to do is not sent (an initial push
    /// has no deletes; its delete merge would still join the staging table with the whole upstream table).</summary>
    public int Deletes { get; set; }

    /// <summary>Its rows went straight into the upstream table (<see cref="PushDirect"/>): no staging, no merge.</summary>
    public bool Direct { get; set; }

    /// <summary>When the read drained the table's pending changes: the largest version in the database at that read
    /// (pulled ones included). Every later local change gets a larger one, so the cursor may jump there.</summary>
    public long? Drained { get; set; }

    /// <summary>The push cursor after this slice: past its rows, or past everything when drained, so a push never
    /// rescans versions pulled from other machines (the pending query walks the version index from the cursor).</summary>
    public long Cursor => Math.Max(To, Drained ?? To);
}

/// <summary>
/// Push: this machine's pending changes, in batches of <see cref="SyncOptions.BatchSize"/> rows across the domain's
/// tables (parents first), each batch one upstream transaction. Rows stream from a SQLite read through binary COPY
/// into a temp staging table per table, then one merge statement per kind decides last-write-wins upstream. The local
/// cursor moves after the upstream COMMIT: a crash in between re-pushes the batch, which is a no-op (equal versions
/// lose the guard). A batch the upstream refuses (a unique collision, a missing parent at COMMIT) is redone row by
/// row (<see cref="PushRows"/>): the failing rows are parked, the rest go on.
/// </summary>
internal static class PushBatch
{
    public static async Task RunAsync(SyncRun run, CancellationToken cancellationToken)
    {
        if (run.Tables.Count == 0)
        {
            return;
        }

        // Rows another tool removed without a trigger (INSERT OR REPLACE on a unique conflict) become pending deletes.
        await Local.CaptureSweep.RunAsync(run.Database, cancellationToken).ConfigureAwait(false);
        var cursors = await LocalState.ReadCursorsAsync(run.Database, cancellationToken).ConfigureAwait(false);
        var from = run.Tables.ToDictionary(t => t.Table.Name, t => cursors.TryGetValue(t.Table.Name, out var c) ? c.PushedHlc : 0);
        foreach (var table in run.Tables)
        {
            table.Direct = from[table.Table.Name] == 0; // a first push: see PushDirect
        }

        if (await NothingPendingAsync(run, from, cancellationToken).ConfigureAwait(false))
        {
            // The common case of a watcher's push: no upstream transaction, no lock, no notice to the others.
            await PushRows.RetryParkedAsync(run, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (true)
        {
            var slices = new List<PushSlice>();
            var budget = run.Options.BatchSize;
            List<PushFailure> failures;
            try
            {
                failures = await CopyAndMergeAsync(run, from, slices, budget, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (IsRowRefusal(run, ex))
            {
                // Refused as a whole: find the rows at fault one by one, in a fresh transaction.
                failures = await PushRows.RunAsync(run, slices, parked: false, cancellationToken).ConfigureAwait(false);
            }

            var moved = slices.Where(s => s.Rows > 0 || s.Cursor > s.From).ToList();
            if (moved.Count == 0)
            {
                break;
            }

            await RecordAsync(run, moved, failures, cancellationToken).ConfigureAwait(false);
            foreach (var slice in moved)
            {
                from[slice.Table.Table.Name] = slice.Cursor;
                slice.Table.Pushed += slice.Rows - failures.Count(f => f.Table == slice.Table);
            }

            if (slices.Sum(s => s.Rows) < budget)
            {
                break;
            }
        }

        await PushRows.RetryParkedAsync(run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when no table has a pending change; then each cursor jumps past every version this database
    /// holds (see <see cref="PushSlice.Drained"/>), read in one snapshot with the check.</summary>
    private static async Task<bool> NothingPendingAsync(SyncRun run, Dictionary<string, long> from, CancellationToken cancellationToken)
    {
        var slices = await run.Database.ReadAsync(static (session, state) =>
        {
            session.Execute("BEGIN");
            try
            {
                var max = session.Scalar(LocalSql.DrainedVersion) as long? ?? 0;
                var slices = new List<PushSlice>();
                foreach (var table in state.run.Tables)
                {
                    var any = session.Command(
                        "SELECT 1 FROM \"_filix_rows\" INDEXED BY \"_filix_rows_hlc\" WHERE \"tbl\" = $p0 AND \"origin\" IS NULL AND \"hlc\" > $p1 LIMIT 1", 2);
                    any.Parameters[0].Value = table.Table.Name;
                    any.Parameters[1].Value = state.from[table.Table.Name];
                    if (any.ExecuteScalar() is not null)
                    {
                        return null;
                    }

                    slices.Add(new PushSlice(table, state.from[table.Table.Name]) { Drained = max });
                }

                return slices;
            }
            finally
            {
                session.Execute("COMMIT");
            }
        }, (run, from), cancellationToken).ConfigureAwait(false);
        if (slices is null)
        {
            return false;
        }

        var advanced = slices.Where(s => s.Cursor > s.From).ToList();
        if (advanced.Count > 0)
        {
            await RecordAsync(run, advanced, [], cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>One batch: lock, COPY each table's slice, merge, record the push, COMMIT.</summary>
    private static async Task<List<PushFailure>> CopyAndMergeAsync(SyncRun run, Dictionary<string, long> from, List<PushSlice> slices, int budget, CancellationToken cancellationToken)
    {
        var connection = run.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await BeginAsync(run, cancellationToken).ConfigureAwait(false);
        foreach (var table in run.Tables)
        {
            if (budget == 0)
            {
                break;
            }

            var slice = new PushSlice(table, from[table.Table.Name]);
            if (table.Direct)
            {
                var direct = await PushDirect.RunAsync(run, slice, budget, cancellationToken).ConfigureAwait(false);
                if (direct != PushDirect.Outcome.Done)
                {
                    table.Direct = false;
                }

                if (direct != PushDirect.Outcome.Refused)
                {
                    slice.Direct = true;
                    slices.Add(slice);
                    budget -= slice.Rows;
                    if (direct == PushDirect.Outcome.Done)
                    {
                        continue;
                    }

                    slice = new PushSlice(table, slice.Cursor); // the rest of the table, from its first delete
                }
                else
                {
                    slice = new PushSlice(table, from[table.Table.Name]);
                }
            }

            slices.Add(slice);
            if (!table.Staged)
            {
                await UpstreamCommands.ExecuteAsync(connection, table.Upstream.CreateStage, cancellationToken).ConfigureAwait(false);
            }

            await using (var importer = await connection.BeginBinaryImportAsync(table.Upstream.Copy, cancellationToken).ConfigureAwait(false))
            {
                // Microsoft.Data.Sqlite reads synchronously anyway: the rows go from the reader into the COPY buffer
                // on this thread, one row in memory at a time.
                await run.Database.ReadAsync(static (session, state) =>
                {
                    // One read transaction: the drained check and the largest version come from the same snapshot.
                    session.Execute("BEGIN");
                    try
                    {
                        Copy(session, state.run, state.slice, state.importer, long.MaxValue, state.budget, table => table.Local.Pending);
                        if (state.slice.Rows < state.budget)
                        {
                            state.slice.Drained = session.Scalar(LocalSql.DrainedVersion) as long?;
                        }
                    }
                    finally
                    {
                        session.Execute("COMMIT");
                    }

                    return 0;
                }, (run, slice, importer, budget), cancellationToken).ConfigureAwait(false);
                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            budget -= slice.Rows;
        }

        foreach (var slice in slices.Where(s => s.Rows > 0))
        {
            if (slice.Deletes < slice.Rows && !slice.Direct)
            {
                await UpstreamCommands.ExecuteAsync(connection, slice.Table.Upstream.MergeLive, cancellationToken).ConfigureAwait(false);
            }

            if (slice.Deletes > 0)
            {
                await UpstreamCommands.ExecuteAsync(connection, slice.Table.Upstream.MergeDeletes, cancellationToken).ConfigureAwait(false);
            }

            await MarkPushedAsync(run, slice.Table, cancellationToken).ConfigureAwait(false);
        }

        // Deferred foreign keys are checked here, so rows of a reference cycle can travel in one batch.
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var slice in slices)
        {
            slice.Table.Staged = true; // a temp table lives as long as the connection once its transaction committed
        }

        return [];
    }

    /// <summary>Whether the upstream refused the batch's data (redo it row by row to park the culprits) rather than
    /// ending the session (a terminated backend, a shutdown, a lost connection: that error goes to the caller, and
    /// the uncommitted batch is simply pushed again next time).</summary>
    public static bool IsRowRefusal(SyncRun run, PostgresException ex) =>
        run.Connection.State == System.Data.ConnectionState.Open
        && !ex.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
        && !ex.SqlState.StartsWith("57", StringComparison.Ordinal) // operator intervention: terminated, shutdown, cancelled
        && !ex.SqlState.StartsWith("53", StringComparison.Ordinal); // insufficient resources

    /// <summary>One pusher per domain at a time (so a tombstone and a live row of one key cannot race), and a notice
    /// to watchers, delivered at COMMIT.</summary>
    public static async Task BeginAsync(SyncRun run, CancellationToken cancellationToken)
    {
        await UpstreamCommands.ExecuteAsync(run.Connection, "SELECT pg_advisory_xact_lock(hashtext($1)), pg_notify('filix', $2)", cancellationToken,
            "filix:" + run.Schema.Domain, run.Schema.PostgresSchema).ConfigureAwait(false);
    }

    public static Task MarkPushedAsync(SyncRun run, TableRun table, CancellationToken cancellationToken) =>
        UpstreamCommands.ExecuteAsync(run.Connection,
            $"INSERT INTO {table.Upstream.Schema}.\"{UpstreamSql.Machines}\" (\"machine\", \"tbl\", \"pushed_at\") VALUES ($1, $2, now()) " +
            "ON CONFLICT (\"machine\", \"tbl\") DO UPDATE SET \"pushed_at\" = now()", cancellationToken, run.Machine, table.Table.Name);

    /// <summary>Streams the slice's rows (local versions after <see cref="PushSlice.From"/>, up to
    /// <paramref name="to"/>, at most <paramref name="limit"/>) into <paramref name="importer"/>.</summary>
    public static void Copy(SqliteSession session, SyncRun run, PushSlice slice, NpgsqlBinaryImporter importer, long to, int limit, Func<TableRun, string> sql)
    {
        var table = slice.Table;
        var command = session.Command(sql(table), 4);
        command.Parameters[0].Value = table.Table.Name;
        command.Parameters[1].Value = slice.From;
        command.Parameters[2].Value = to;
        command.Parameters[3].Value = (long)limit;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (WriteRow(reader, table.Table, run.Machine, importer))
            {
                slice.Deletes++;
            }

            slice.To = reader.GetInt64(table.Table.Columns.Count + 1);
            slice.Rows++;
        }
    }

    /// <summary>One pending row into the COPY: the table's columns (null for a delete), then pk, version, machine,
    /// deleted. Ordinals: columns, pk, hlc, deleted, gone. Returns whether it travels as a delete.</summary>
    public static bool WriteRow(SqliteDataReader reader, SyncTable table, string machine, NpgsqlBinaryImporter importer)
    {
        var n = table.Columns.Count;
        var deleted = reader.GetInt64(n + 2) != 0 || reader.GetInt64(n + 3) != 0;
        importer.StartRow();
        if (deleted)
        {
            for (var c = 0; c < n; c++)
            {
                importer.WriteNull();
            }
        }
        else
        {
            table.CopyToUpstream(reader, importer);
        }

        importer.Write(reader.GetString(n), NpgsqlDbType.Text);
        importer.Write(reader.GetInt64(n + 1), NpgsqlDbType.Bigint);
        importer.Write(machine, NpgsqlDbType.Text);
        importer.Write(deleted, NpgsqlDbType.Boolean);
        return deleted;
    }

    /// <summary>After the upstream COMMIT: move each table's cursor, unpark rows that went through, park the ones
    /// that did not; one local write.</summary>
    public static Task RecordAsync(SyncRun run, List<PushSlice> moved, List<PushFailure> failures, CancellationToken cancellationToken) =>
        run.Database.WriteAsync(static (session, state) =>
        {
            var now = SyncRun.Now();
            foreach (var slice in state.moved)
            {
                var set = session.Command(LocalSql.SetPushed, 3);
                set.Parameters[0].Value = slice.Table.Table.Name;
                set.Parameters[1].Value = slice.Cursor;
                set.Parameters[2].Value = now;
                set.ExecuteNonQuery();

                // Parked keys this slice carried through (a newer edit superseding a parked version).
                using var unpark = session.Connection.CreateCommand();
                unpark.CommandText =
                    "DELETE FROM \"_filix_parked\" WHERE \"tbl\" = $t AND \"direction\" = 'push' AND \"pk\" IN " +
                    "(SELECT \"pk\" FROM \"_filix_rows\" WHERE \"tbl\" = $t AND \"origin\" IS NULL AND \"hlc\" > $from AND \"hlc\" <= $to)";
                unpark.Parameters.AddWithValue("$t", slice.Table.Table.Name);
                unpark.Parameters.AddWithValue("$from", slice.From);
                unpark.Parameters.AddWithValue("$to", slice.To);
                unpark.ExecuteNonQuery();
            }

            foreach (var failure in state.failures)
            {
                Parking.Park(session, failure.Table.Table.Name, failure.Pk, Parking.Push, failure.Hlc, null, failure.Reason, now);
            }

            return 0;
        }, (moved, failures), cancellationToken);
}

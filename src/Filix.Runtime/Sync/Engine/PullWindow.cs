using System.Data;
using System.Globalization;
using Filix.Runtime.Sync.Upstream;
using Npgsql;

namespace Filix.Runtime.Sync.Engine;

/// <summary>
/// Pull: what other machines committed upstream, per table in delivery order. One <c>REPEATABLE READ READ ONLY</c>
/// upstream transaction per domain; its snapshot's xmin X bounds the window <c>[cursor, X)</c>: every transaction
/// below X has committed or aborted for good, so a transaction that started earlier and commits later is still ahead
/// of the cursor next time. A wall-clock or sequence cursor taken inside the writing transaction is not commit order
/// and skips such rows (the Dotmim.Sync bug the issue cites); Electric and Sequin use this xid8 window, PgQ before them.
/// Rows stream from the reader into two alternating buffers; the writer applies one while the next fills, and each
/// sub-batch commits with the table's cursor (<see cref="LocalApply"/>).
/// </summary>
internal static class PullWindow
{
    public static async Task RunAsync(SyncRun run, CancellationToken cancellationToken)
    {
        if (run.Tables.Count == 0)
        {
            return;
        }

        var cursors = await LocalState.ReadCursorsAsync(run.Database, cancellationToken).ConfigureAwait(false);
        var horizons = await Compaction.HorizonsAsync(run, cancellationToken).ConfigureAwait(false);
        var parked = await run.Database.ReadAsync(static (session, tables) =>
            tables.ToDictionary(t => t.Table.Name, t => (Pull: Parking.Read(session, t.Table.Name, Parking.Pull), Push: Parking.Read(session, t.Table.Name, Parking.Push))),
            run.Tables, cancellationToken).ConfigureAwait(false);

        ulong snapshot;
        await using (var transaction = await run.Connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false))
        {
            await UpstreamCommands.ExecuteAsync(run.Connection, "SET TRANSACTION READ ONLY", cancellationToken).ConfigureAwait(false);
            snapshot = ulong.Parse((string)(await UpstreamCommands.ScalarAsync(run.Connection, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text", cancellationToken).ConfigureAwait(false))!, CultureInfo.InvariantCulture);
            var x = snapshot.ToString(CultureInfo.InvariantCulture);
            var idle = new List<string>();
            foreach (var table in run.Tables)
            {
                var cursor = cursors.TryGetValue(table.Table.Name, out var c) ? c.PulledXid : 0;
                var resync = cursor != 0 && horizons.TryGetValue(table.Table.Name, out var horizon) && cursor < horizon;
                table.Resynced = resync;
                var job = NewJob(run, table, parked[table.Table.Name].Pull, resync, force: false);
                await using var command = resync
                    ? UpstreamCommands.Create(run.Connection, table.Upstream.PullAll, x)
                    : UpstreamCommands.Create(run.Connection, table.Upstream.PullWindow, cursor.ToString(CultureInfo.InvariantCulture), x, run.Machine);
                if (!await StreamAsync(run, table, command, job, x, resync ? Compaction.ResyncDelete(run, table, cursors) : null, cancellationToken).ConfigureAwait(false))
                {
                    idle.Add(table.Table.Name);
                }
            }

            // Tables the window brought nothing for move their cursors together: one local commit, not one each.
            if (idle.Count > 0)
            {
                await run.Database.WriteAsync(static (session, state) =>
                {
                    var now = SyncRun.Now();
                    foreach (var name in state.idle)
                    {
                        var set = session.Command(LocalSql.SetPulled, 3);
                        set.Parameters[0].Value = name;
                        set.Parameters[1].Value = state.x;
                        set.Parameters[2].Value = now;
                        set.ExecuteNonQuery();
                    }

                    return 0;
                }, (idle, x), cancellationToken).ConfigureAwait(false);
            }

            // Parked rows after every table: a parent's delete waits for its children's deletes, which come later.
            foreach (var table in run.Tables)
            {
                var (pull, push) = parked[table.Table.Name];
                var restore = push.Where(p => p.Value.StartsWith(Parking.Referenced, StringComparison.Ordinal)).Select(p => p.Key).ToArray();
                if (restore.Length > 0)
                {
                    await RetryAsync(run, table, restore, NewJob(run, table, pull, resync: false, force: true), cancellationToken).ConfigureAwait(false);
                }

                if (pull.Count > 0)
                {
                    var job = NewJob(run, table, pull, resync: false, force: false);
                    job.After = session => Parking.KeepReferencedParents(session, table.Table.Name);
                    table.Revived += await RetryAsync(run, table, pull.Keys.ToArray(), job, cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await Compaction.RecordPullAsync(run, snapshot, cancellationToken).ConfigureAwait(false);
    }

    private static ApplyJob NewJob(SyncRun run, TableRun table, Dictionary<string, string> parked, bool resync, bool force) => new()
    {
        Sql = table.Local,
        Machine = run.Machine,
        Now = SyncRun.Now(),
        ParkedPull = parked,
        Resync = resync,
        Force = force,
    };

    /// <summary>Streams <paramref name="command"/>'s rows into the writer in sub-batches; the last write sets the
    /// cursor to <paramref name="end"/> and runs <paramref name="after"/>. False when there was nothing to write (the
    /// caller moves the cursor).</summary>
    private static async Task<bool> StreamAsync(SyncRun run, TableRun table, NpgsqlCommand command, ApplyJob template, string end, Func<Sqlite.SqliteSession, int>? after, CancellationToken cancellationToken)
    {
        var target = Math.Max(1, run.Options.BatchSize);

        // Twice the target: a sub-batch ends at an xid boundary once it has target rows, or at the cap inside one
        // large upstream transaction (the cursor then stays on that xid: re-pulling its applied rows is a no-op).
        var buffers = new[] { new RowBuffer(table.Table.Columns.Count, target * 2), new RowBuffer(table.Table.Columns.Count, target * 2) };
        var current = 0;
        Task<ApplyResult>? writing = null;
        if (template.Resync)
        {
            writing = run.Database.WriteAsync(static (session, _) =>
            {
                session.Execute(LocalSql.CreateSeen);
                session.Execute(LocalSql.ClearSeen);
                return default(ApplyResult);
            }, 0, cancellationToken);
        }

        var n = table.Table.Columns.Count;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var rows = buffers[current];
                if (rows.Count >= target)
                {
                    var xid = reader.GetFieldValue<ulong>(n + 4);
                    var last = rows.Xids[rows.Count - 1];
                    if (xid != last || rows.Count == rows.Capacity)
                    {
                        var cursor = (xid != last ? xid : last).ToString(CultureInfo.InvariantCulture);
                        writing = await FlushAsync(run, table, template, rows, cursor, null, writing, cancellationToken).ConfigureAwait(false);
                        current ^= 1;
                        rows = buffers[current];
                        rows.Clear();
                    }
                }

                rows.Add(table.Table, reader);
            }
        }

        if (writing is null && buffers[current].Count == 0 && after is null)
        {
            return false;
        }

        writing = await FlushAsync(run, table, template, buffers[current], end, after, writing, cancellationToken).ConfigureAwait(false);
        Count(table, await writing.ConfigureAwait(false));
        return true;
    }

    /// <summary>Waits for the previous write (its buffer is free again only then) and starts this one.</summary>
    private static async Task<Task<ApplyResult>> FlushAsync(SyncRun run, TableRun table, ApplyJob template, RowBuffer rows, string cursor, Func<Sqlite.SqliteSession, int>? after, Task<ApplyResult>? previous, CancellationToken cancellationToken)
    {
        if (previous is not null)
        {
            Count(table, await previous.ConfigureAwait(false));
        }

        var job = new ApplyJob
        {
            Sql = template.Sql,
            Machine = template.Machine,
            Now = template.Now,
            ParkedPull = template.ParkedPull,
            Resync = template.Resync,
            Force = template.Force,
            Rows = rows,
            Cursor = cursor,
            After = after,
        };
        return run.Database.WriteAsync(static (session, job) => LocalApply.Apply(session, job), job, cancellationToken);
    }

    private static void Count(TableRun table, ApplyResult result)
    {
        table.Pulled += result.Applied;
        table.Parked += result.Parked;
    }

    /// <summary>Re-reads <paramref name="keys"/> upstream (their current version, live or tombstone) and applies them;
    /// keys upstream no longer has at all are unparked. Returns what the job's <see cref="ApplyJob.After"/> did.</summary>
    private static async Task<long> RetryAsync(SyncRun run, TableRun table, string[] keys, ApplyJob job, CancellationToken cancellationToken)
    {
        var rows = new RowBuffer(table.Table.Columns.Count, keys.Length);
        await using (var command = UpstreamCommands.Create(run.Connection, table.Upstream.PullKeys, (object)keys))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && rows.Count < rows.Capacity)
            {
                rows.Add(table.Table, reader);
            }
        }

        var missing = keys.Except(rows.Pks.Take(rows.Count).OfType<string>(), StringComparer.Ordinal).ToList();
        var after = job.After;
        job.Rows = rows;
        job.After = session =>
        {
            foreach (var pk in missing)
            {
                Parking.Unpark(session, table.Table.Name, pk, job.Force ? Parking.Push : Parking.Pull);
                job.ParkedPull.Remove(pk);
            }

            return after?.Invoke(session) ?? 0;
        };
        var result = await run.Database.WriteAsync(static (session, job) => LocalApply.Apply(session, job), job, cancellationToken).ConfigureAwait(false);

        // A retried row that applies now was counted parked when it first failed; only its arrival counts here.
        table.Pulled += result.Applied;
        return result.After;
    }
}

using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Filix.Runtime.Sync.Engine;

/// <summary>A pushed row the upstream refused, and why in words.</summary>
internal sealed record PushFailure(TableRun Table, string Pk, long Hlc, string Reason);

/// <summary>
/// The row-at-a-time push, only for isolating the rows upstream refuses: one transaction, constraints checked at
/// once (<c>SET CONSTRAINTS ALL IMMEDIATE</c>), each row in its own savepoint through the same staging table and merge
/// statements as the bulk path. A refused row is rolled back alone and parked; the rest commit.
/// </summary>
internal static class PushRows
{
    /// <summary>Pushes the slices' rows one by one; the slices' ranges are those the failed batch read.</summary>
    public static async Task<List<PushFailure>> RunAsync(SyncRun run, List<PushSlice> slices, bool parked, CancellationToken cancellationToken)
    {
        var failures = new List<PushFailure>();
        await using var transaction = await run.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await PushBatch.BeginAsync(run, cancellationToken).ConfigureAwait(false);
        await Upstream.UpstreamCommands.ExecuteAsync(run.Connection, "SET CONSTRAINTS ALL IMMEDIATE", cancellationToken).ConfigureAwait(false);
        foreach (var slice in slices)
        {
            await Upstream.UpstreamCommands.ExecuteAsync(run.Connection, slice.Table.Upstream.CreateStage, cancellationToken).ConfigureAwait(false);

            // Synchronous inside the read: the SQLite reader stays on its row while the row goes upstream (a rare path).
            var (rows, failed) = await run.Database.ReadAsync(static (session, state) => Each(session, state.run, state.slice, state.parked),
                (run, slice, parked), cancellationToken).ConfigureAwait(false);
            failures.AddRange(failed);
            slice.Rows = rows;
            if (rows > 0)
            {
                await PushBatch.MarkPushedAsync(run, slice.Table, cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return failures;
    }

    /// <summary>Rows parked on push, retried at the end of every push (after the pending rows, so a parent
    /// re-versioned meanwhile goes first).</summary>
    public static async Task RetryParkedAsync(SyncRun run, CancellationToken cancellationToken)
    {
        var slices = run.Tables.Select(t => new PushSlice(t, 0)).ToList();
        var count = await run.Database.ReadAsync(static (session, _) => Convert.ToInt64(session.Scalar("SELECT count(*) FROM \"_filix_parked\" WHERE \"direction\" = 'push'"), System.Globalization.CultureInfo.InvariantCulture), 0, cancellationToken).ConfigureAwait(false);
        if (count == 0)
        {
            return;
        }

        var failures = await RunAsync(run, slices, parked: true, cancellationToken).ConfigureAwait(false);
        await run.Database.WriteAsync(static (session, state) =>
        {
            var now = SyncRun.Now();
            foreach (var slice in state.slices)
            {
                var name = slice.Table.Table.Name;
                foreach (var pk in Parking.Read(session, name, Parking.Push).Keys)
                {
                    if (state.failures.Find(f => f.Table == slice.Table && f.Pk == pk) is { } failure)
                    {
                        Parking.Park(session, name, pk, Parking.Push, failure.Hlc, null, failure.Reason, now);
                    }
                    else
                    {
                        // Went through, or superseded by a pulled version (no longer a local change to push).
                        Parking.Unpark(session, name, pk, Parking.Push);
                    }
                }
            }

            return 0;
        }, (slices, failures), cancellationToken).ConfigureAwait(false);
        foreach (var slice in slices)
        {
            slice.Table.Pushed += slice.Rows - failures.Count(f => f.Table == slice.Table);
        }
    }

    private static (int Rows, List<PushFailure> Failures) Each(SqliteSession session, SyncRun run, PushSlice slice, bool parked)
    {
        var table = slice.Table;
        var failures = new List<PushFailure>();
        var command = session.Command(parked ? table.Local.ParkedPush : table.Local.Pending, parked ? 1 : 4);
        command.Parameters[0].Value = table.Table.Name;
        if (!parked)
        {
            command.Parameters[1].Value = slice.From;
            command.Parameters[2].Value = slice.To;
            command.Parameters[3].Value = -1L; // no limit: the range is the batch's
        }

        var rows = 0;
        var n = table.Table.Columns.Count;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows++;
            var pk = reader.GetString(n);
            var hlc = reader.GetInt64(n + 1);
            var deleted = reader.GetInt64(n + 2) != 0 || reader.GetInt64(n + 3) != 0;
            Execute(run, "SAVEPOINT filix_row");
            try
            {
                using (var importer = run.Connection.BeginBinaryImport(table.Upstream.Copy))
                {
                    PushBatch.WriteRow(reader, table.Table, run.Machine, importer);
                    importer.Complete();
                }

                Execute(run, table.Upstream.MergeLive);
                Execute(run, table.Upstream.MergeDeletes);
                Execute(run, table.Upstream.ClearStage);
                Execute(run, "RELEASE SAVEPOINT filix_row");
            }
            catch (PostgresException ex)
            {
                Execute(run, "ROLLBACK TO SAVEPOINT filix_row");
                failures.Add(new PushFailure(table, pk, hlc, Reason(table.Table, ex, deleted, run.Where)));
            }
        }

        return (rows, failures);
    }

    /// <summary>The Postgres error in words, with the policy's name first (see <see cref="Parking"/>).</summary>
    private static string Reason(SyncTable table, PostgresException ex, bool deleted, string where)
    {
        var detail = ex.Detail is { Length: > 0 } d ? " " + d : string.Empty;
        return ex.SqlState switch
        {
            PostgresErrorCodes.UniqueViolation => $"{Parking.Unique}: {ex.MessageText} on {where}.{detail} Change or delete one of the two rows.",
            PostgresErrorCodes.ForeignKeyViolation when deleted => $"{Parking.Referenced}: rows upstream still refer to it ({ex.MessageText}); a child keeps its parent alive, so the next pull restores it here.",
            PostgresErrorCodes.ForeignKeyViolation => $"{Parking.MissingParent}: {ex.MessageText} on {where}.{detail} Retried on every push; it resolves when the parent is there.",
            PostgresErrorCodes.NotNullViolation => $"upstream needs a value: {ex.MessageText} (column {ex.ColumnName} of {table.Domain}.{table.Name}, which this build may not know). Upgrade this machine.",
            _ => $"refused by {where}: {ex.SqlState} {ex.MessageText}.{detail}",
        };
    }

    private static void Execute(SyncRun run, string sql)
    {
        using var command = new NpgsqlCommand(sql, run.Connection);
        command.ExecuteNonQuery();
    }
}

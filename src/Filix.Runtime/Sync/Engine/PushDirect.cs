using Filix.Runtime.Sqlite;
using Filix.Runtime.Sync.Upstream;
using Npgsql;
using NpgsqlTypes;

namespace Filix.Runtime.Sync.Engine;

/// <summary>
/// A table's first push from this machine (its push cursor is 0: the initial sync of a full machine) goes straight
/// into the upstream table by binary COPY, inside a savepoint of the batch's transaction, instead of COPY into the
/// staging table and a merge: the merge writes every row a second time, and measured as much as the COPY itself.
/// </summary>
/// <remarks>
/// <para>Straight in is only right for keys upstream has no version of, live or deleted: then the merge would insert
/// the row as it is. A key upstream has live fails the COPY on the table's key or <c>_filix_pk</c> unique index; a
/// key with a tombstone is found right after the COPY (the rows this transaction wrote, by <c>_filix_xid</c>, joined
/// with the tombstones). Either way the savepoint is rolled back and the batch goes through staging and the merge as
/// every later push does, and the run stops trying (<see cref="TableRun.Direct"/>). Nothing else can write the
/// domain's tables between the COPY and the check: the batch holds the domain's advisory lock, and an upstream
/// writer that is not Filix meets the same unique indexes.</para>
/// <para>A pending delete ends the direct slice before it (a delete is never copied into the table); the rest of
/// the batch goes through staging. Foreign keys stay deferred to the batch's COMMIT, as on the staging path.</para>
/// </remarks>
internal static class PushDirect
{
    private const string Savepoint = "SAVEPOINT filix_direct";
    private const string Release = "RELEASE SAVEPOINT filix_direct";
    private const string Undo = "ROLLBACK TO SAVEPOINT filix_direct";

    /// <summary>What a direct slice did.</summary>
    public enum Outcome
    {
        /// <summary>Its rows are in the table; the slice is complete (drained, or the budget reached).</summary>
        Done,

        /// <summary>Its rows are in the table, up to a pending delete: the rest of the table goes through staging.</summary>
        StoppedAtDelete,

        /// <summary>Upstream has a version of one of its keys: nothing of it stays, the batch goes through staging.</summary>
        Refused,
    }

    public static async Task<Outcome> RunAsync(SyncRun run, PushSlice slice, int budget, CancellationToken cancellationToken)
    {
        var connection = run.Connection;
        var table = slice.Table;
        await UpstreamCommands.ExecuteAsync(connection, Savepoint, cancellationToken).ConfigureAwait(false);
        bool stopped;
        try
        {
            await using (var importer = await connection.BeginBinaryImportAsync(table.Upstream.DirectCopy, cancellationToken).ConfigureAwait(false))
            {
                stopped = await run.Database.ReadAsync(static (session, state) =>
                {
                    // One read transaction: the drained check and the largest version come from the same snapshot.
                    session.Execute("BEGIN");
                    try
                    {
                        var atDelete = Copy(session, state.run, state.slice, state.importer, state.budget);
                        if (!atDelete && state.slice.Rows < state.budget)
                        {
                            state.slice.Drained = session.Scalar(LocalSql.DrainedVersion) as long?;
                        }

                        return atDelete;
                    }
                    finally
                    {
                        session.Execute("COMMIT");
                    }
                }, (run, slice, importer, budget), cancellationToken).ConfigureAwait(false);
                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            if (slice.Rows > 0 && await UpstreamCommands.ScalarAsync(connection, table.Upstream.DirectTombstoned, cancellationToken).ConfigureAwait(false) is true)
            {
                await UpstreamCommands.ExecuteAsync(connection, Undo, cancellationToken).ConfigureAwait(false);
                return Outcome.Refused;
            }
        }
        catch (PostgresException ex) when (PushBatch.IsRowRefusal(run, ex))
        {
            // A key upstream has (unique violation), or any other refusal of the rows (a NOT NULL column this build
            // does not know): staging and the merge decide, and park what they must.
            await UpstreamCommands.ExecuteAsync(connection, Undo, cancellationToken).ConfigureAwait(false);
            return Outcome.Refused;
        }

        await UpstreamCommands.ExecuteAsync(connection, Release, cancellationToken).ConfigureAwait(false);
        return stopped ? Outcome.StoppedAtDelete : Outcome.Done;
    }

    /// <summary>Streams the slice's live rows into the COPY, in version order, up to the first delete (true when it
    /// stopped there) or <paramref name="limit"/> rows.</summary>
    private static bool Copy(SqliteSession session, SyncRun run, PushSlice slice, NpgsqlBinaryImporter importer, int limit)
    {
        var table = slice.Table.Table;
        var n = table.Columns.Count;
        var command = session.Command(slice.Table.Local.Pending, 4);
        command.Parameters[0].Value = table.Name;
        command.Parameters[1].Value = slice.From;
        command.Parameters[2].Value = long.MaxValue;
        command.Parameters[3].Value = (long)limit;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            // Ordinals: columns, pk, hlc, deleted, gone (the row vanished without a trigger: a delete too).
            if (reader.GetInt64(n + 2) != 0 || reader.GetInt64(n + 3) != 0)
            {
                return true;
            }

            importer.StartRow();
            table.CopyToUpstream(reader, importer);
            importer.Write(reader.GetString(n), NpgsqlDbType.Text);
            importer.Write(reader.GetInt64(n + 1), NpgsqlDbType.Bigint);
            importer.Write(run.Machine, NpgsqlDbType.Text);
            slice.To = reader.GetInt64(n + 1);
            slice.Rows++;
        }

        return false;
    }
}

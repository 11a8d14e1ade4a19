using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sync.Engine;

/// <summary>What one write of pulled rows is to do: the rows, and the cursor to set in the same transaction.</summary>
internal sealed class ApplyJob
{
    public required LocalSql Sql { get; init; }

    public required string Machine { get; init; }

    public required string Now { get; init; }

    /// <summary>Keys of the table parked on pull (unparked as they apply; shared by the table's writes, which run one
    /// at a time).</summary>
    public required Dictionary<string, string> ParkedPull { get; init; }

    public RowBuffer? Rows { get; set; }

    /// <summary>The table's new <c>pulled_xid</c>, or null to leave it.</summary>
    public string? Cursor { get; set; }

    /// <summary>Full resync: remember every key upstream sent (<c>temp._filix_seen</c>).</summary>
    public bool Resync { get; init; }

    /// <summary>Apply whatever the local version (a refused delete restored from upstream: see <see cref="Parking"/>).</summary>
    public bool Force { get; init; }

    /// <summary>Runs after the rows, in the same transaction (resync's final delete, the parking policies).</summary>
    public Func<SqliteSession, int>? After { get; set; }
}

/// <summary>Counts of one apply.</summary>
internal readonly record struct ApplyResult(int Applied, int Parked, int After);

/// <summary>
/// Applies pulled rows inside the database's writer (<see cref="FilixDatabase.WriteAsync{TState, TResult}"/>): capture
/// is off for the write (<c>_filix_applying</c>, inserted first and deleted last in the same transaction, so no other
/// connection sees it), each row goes through last-write-wins against <c>_filix_rows</c>, and the table's cursor
/// moves in the same transaction as the rows: a pull cut anywhere re-applies at most a no-op.
/// </summary>
/// <remarks>Foreign keys stay immediate rather than deferred: a row whose parent is missing, or a delete of a parent
/// still referenced, fails alone (SQLite undoes just that statement) and is parked, while a deferred violation would
/// fail the whole commit, this batch and the writer's batch-mates with it.</remarks>
internal static class LocalApply
{
    public static ApplyResult Apply(SqliteSession session, ApplyJob job)
    {
        session.Command(LocalSql.StartApplying, 0).ExecuteNonQuery();
        var applied = 0;
        var parked = 0;
        if (job.Rows is { } rows)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                switch (ApplyRow(session, job, rows, i))
                {
                    case Outcome.Applied:
                        applied++;
                        break;
                    case Outcome.Parked:
                        parked++;
                        break;
                }
            }
        }

        var after = job.After?.Invoke(session) ?? 0;
        if (job.Cursor is { } cursor)
        {
            var set = session.Command(LocalSql.SetPulled, 3);
            set.Parameters[0].Value = job.Sql.Table.Name;
            set.Parameters[1].Value = cursor;
            set.Parameters[2].Value = job.Now;
            set.ExecuteNonQuery();
        }

        session.Command(LocalSql.StopApplying, 0).ExecuteNonQuery();
        return new ApplyResult(applied, parked, after);
    }

    private enum Outcome
    {
        Applied,
        Skipped,
        Parked,
    }

    private static Outcome ApplyRow(SqliteSession session, ApplyJob job, RowBuffer rows, int i)
    {
        var sql = job.Sql;
        var table = sql.Table;
        var n = rows.Columns;
        var deleted = rows.Deleted[i];
        var pk = rows.Pks[i] ?? KeyJson(session, sql, rows.Values, i * n);
        if (job.Resync && !deleted)
        {
            var seen = session.Command(LocalSql.Seen, 1);
            seen.Parameters[0].Value = pk;
            seen.ExecuteNonQuery();
        }

        // A live row goes through the upsert that decides last-write-wins itself (one statement instead of a lookup
        // and an upsert); a delete, a forced row and an all-key table look the local version up first.
        var guarded = !deleted && !job.Force && sql.UpsertIfNewer is not null;
        if (!job.Force && !guarded && !Newer(session, table.Name, pk, rows.Versions[i], rows.Origins[i], job.Machine))
        {
            return Skip(session, job, table.Name, pk);
        }

        try
        {
            if (guarded)
            {
                var upsert = session.Command(sql.UpsertIfNewer!, n + 5);
                for (var c = 0; c < n; c++)
                {
                    upsert.Parameters[c].Value = rows.Values[(i * n) + c] ?? DBNull.Value;
                }

                upsert.Parameters[n].Value = table.Name;
                upsert.Parameters[n + 1].Value = pk;
                upsert.Parameters[n + 2].Value = rows.Versions[i];
                upsert.Parameters[n + 3].Value = rows.Origins[i];
                upsert.Parameters[n + 4].Value = job.Machine;
                if (upsert.ExecuteNonQuery() == 0)
                {
                    return Skip(session, job, table.Name, pk);
                }
            }
            else if (deleted)
            {
                var delete = session.Command(sql.Delete, 1);
                delete.Parameters[0].Value = pk;
                delete.ExecuteNonQuery();
            }
            else
            {
                var upsert = session.Command(sql.Upsert, n);
                for (var c = 0; c < n; c++)
                {
                    upsert.Parameters[c].Value = rows.Values[(i * n) + c] ?? DBNull.Value;
                }

                upsert.ExecuteNonQuery();
            }
        }
        catch (SqliteException ex) when (Parking.LocalReason(table, ex, deleted) is { } reason)
        {
            Parking.Park(session, table.Name, pk, Parking.Pull, rows.Versions[i], rows.Origins[i], reason, job.Now);
            job.ParkedPull[pk] = reason;
            return Outcome.Parked;
        }

        var record = session.Command(LocalSql.Record, 5);
        record.Parameters[0].Value = table.Name;
        record.Parameters[1].Value = pk;
        record.Parameters[2].Value = rows.Versions[i];
        record.Parameters[3].Value = rows.Origins[i];
        record.Parameters[4].Value = deleted ? 1L : 0L;
        record.ExecuteNonQuery();
        if (job.ParkedPull.Remove(pk))
        {
            Parking.Unpark(session, table.Name, pk, Parking.Pull);
        }

        if (job.Force)
        {
            Parking.Unpark(session, table.Name, pk, Parking.Push);
        }

        return Outcome.Applied;
    }

    /// <summary>Superseded here (a local edit made after it, or the same version): a parked copy is obsolete too.</summary>
    private static Outcome Skip(SqliteSession session, ApplyJob job, string table, string pk)
    {
        if (job.ParkedPull.Remove(pk))
        {
            Parking.Unpark(session, table, pk, Parking.Pull);
        }

        return Outcome.Skipped;
    }

    /// <summary>Last-write-wins: the remote version applies when (version, machine) is greater than the local
    /// (hlc, origin or this machine), in ordinal order as upstream compares them (COLLATE "C").</summary>
    private static bool Newer(SqliteSession session, string table, string pk, long version, string origin, string machine)
    {
        var lookup = session.Command(LocalSql.Version, 2);
        lookup.Parameters[0].Value = table;
        lookup.Parameters[1].Value = pk;
        using var reader = lookup.ExecuteReader();
        if (!reader.Read())
        {
            return true;
        }

        var hlc = reader.GetInt64(0);
        var localOrigin = reader.IsDBNull(1) ? machine : reader.GetString(1);
        return version > hlc || (version == hlc && string.CompareOrdinal(origin, localOrigin) > 0);
    }

    /// <summary>The key as <c>json_array</c> text, made by SQLite itself so it matches what capture records.</summary>
    private static string KeyJson(SqliteSession session, LocalSql sql, object?[] values, int offset)
    {
        var command = session.Command(sql.KeyJson, sql.KeyOrdinals.Length);
        for (var k = 0; k < sql.KeyOrdinals.Length; k++)
        {
            command.Parameters[k].Value = values[offset + sql.KeyOrdinals[k]] ?? DBNull.Value;
        }

        return (string)command.ExecuteScalar()!;
    }
}

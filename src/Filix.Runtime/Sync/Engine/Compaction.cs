using System.Globalization;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Sync.Upstream;

namespace Filix.Runtime.Sync.Engine;

/// <summary>
/// Tombstones are not kept forever (Dotmim.Sync's tracking tables grow without end): after each pull, a table's
/// tombstones below the horizon — the lowest cursor among machines that pulled it within
/// <see cref="SyncOptions.TombstoneRetention"/> — are deleted and the horizon recorded. A machine whose cursor is
/// below the horizon was away longer and may have missed deletes, so it resyncs the table in full: every live row
/// through last-write-wins, then its local rows that upstream no longer has, and that are not pending local changes,
/// are deleted. It never resurrects a row deleted meanwhile, and never loses an edit it has not pushed.
/// </summary>
internal static class Compaction
{
    /// <summary>Each table's horizon (tombstones below it are gone).</summary>
    public static async Task<Dictionary<string, ulong>> HorizonsAsync(SyncRun run, CancellationToken cancellationToken)
    {
        var horizons = new Dictionary<string, ulong>(StringComparer.Ordinal);
        await using var command = UpstreamCommands.Create(run.Connection, $"SELECT \"tbl\", \"xid\"::text FROM {SqlNames.Quote(run.Schema.PostgresSchema)}.\"{UpstreamSql.Horizon}\"");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            horizons[reader.GetString(0)] = ulong.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
        }

        return horizons;
    }

    /// <summary>Resync's last step, in the write that moves the cursor: delete the local rows upstream did not send
    /// that are not pending pushes (<c>hlc &gt; pushed_hlc</c>), and record them deleted.</summary>
    public static Func<SqliteSession, int> ResyncDelete(SyncRun run, TableRun table, Dictionary<string, Cursors> cursors)
    {
        var pushed = cursors.TryGetValue(table.Table.Name, out var c) ? c.PushedHlc : 0;
        return session =>
        {
            var stale = new List<string>();
            using (var command = session.Connection.CreateCommand())
            {
                command.CommandText = table.Local.ResyncStale.Replace("$p0", "$t", StringComparison.Ordinal).Replace("$p1", "$h", StringComparison.Ordinal);
                command.Parameters.AddWithValue("$t", table.Table.Name);
                command.Parameters.AddWithValue("$h", pushed);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    stale.Add(reader.GetString(0));
                }
            }

            foreach (var pk in stale)
            {
                var delete = session.Command(table.Local.Delete, 1);
                delete.Parameters[0].Value = pk;
                delete.ExecuteNonQuery();
                using var mark = session.Connection.CreateCommand();
                mark.CommandText = "UPDATE \"_filix_rows\" SET \"deleted\" = 1 WHERE \"tbl\" = $t AND \"pk\" = $k";
                mark.Parameters.AddWithValue("$t", table.Table.Name);
                mark.Parameters.AddWithValue("$k", pk);
                mark.ExecuteNonQuery();
            }

            session.Execute(LocalSql.ClearSeen);
            return stale.Count;
        };
    }

    /// <summary>After the local commit: this machine's cursor upstream (compaction's input), then compaction.</summary>
    public static async Task RecordPullAsync(SyncRun run, ulong snapshot, CancellationToken cancellationToken)
    {
        var schema = SqlNames.Quote(run.Schema.PostgresSchema);
        var x = snapshot.ToString(CultureInfo.InvariantCulture);
        var retention = run.Options.TombstoneRetention;
        foreach (var table in run.Tables)
        {
            var name = table.Table.Name;
            await UpstreamCommands.ExecuteAsync(run.Connection,
                $"INSERT INTO {schema}.\"{UpstreamSql.Machines}\" (\"machine\", \"tbl\", \"pulled_xid\", \"pulled_at\") VALUES ($1, $2, $3::xid8, now()) " +
                "ON CONFLICT (\"machine\", \"tbl\") DO UPDATE SET \"pulled_xid\" = excluded.\"pulled_xid\", \"pulled_at\" = excluded.\"pulled_at\"",
                cancellationToken, run.Machine, name, x).ConfigureAwait(false);

            // One statement: the horizon is the lowest cursor of the machines seen within the retention; it only
            // moves forward, and only when tombstones went.
            await UpstreamCommands.ExecuteAsync(run.Connection,
                // A machine that pushed the table within the retention but never pulled it counts with cursor 0: it holds
                // the horizon back, so the rows it pushed and others deleted meanwhile are deleted there by its first pull.
                $"WITH h AS (SELECT coalesce(\"pulled_xid\", '0'::xid8) AS x FROM {schema}.\"{UpstreamSql.Machines}\" WHERE \"tbl\" = $1 " +
                "AND greatest(\"pulled_at\", \"pushed_at\") > now() - $2::interval ORDER BY 1 LIMIT 1), " +
                $"gone AS (DELETE FROM {schema}.\"{UpstreamSql.Tombstones}\" d USING h WHERE d.\"tbl\" = $1 AND d.\"xid\" < h.x RETURNING 1) " +
                $"INSERT INTO {schema}.\"{UpstreamSql.Horizon}\" AS o (\"tbl\", \"xid\") SELECT $1, h.x FROM h WHERE EXISTS (SELECT 1 FROM gone) " +
                "ON CONFLICT (\"tbl\") DO UPDATE SET \"xid\" = excluded.\"xid\", \"compacted_at\" = now() WHERE excluded.\"xid\" > o.\"xid\"",
                cancellationToken, name, retention).ConfigureAwait(false);
        }
    }
}

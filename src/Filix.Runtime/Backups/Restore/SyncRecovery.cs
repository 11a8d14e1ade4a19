using System.Globalization;
using Filix.Runtime.Sync.Local;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Backups.Restore;

/// <summary>
/// Makes a restored machine pull back what it had pushed after the backup. A plain pull would not: it skips rows
/// whose <c>synced_from</c> is this machine (no echo, docs/sync.md rule 4), and those rows carry this machine's id
/// upstream. So the restore parks each such key for a pull in the restored file (<c>_filix_parked</c>, direction
/// <c>pull</c>): every sync re-reads parked keys from the upstream by key, whoever wrote them, and applies them by
/// last-write-wins against the restored (older) versions — the sync's own retry path, nothing new in the protocol.
/// A key the upstream no longer has is unparked by that same retry.
/// </summary>
internal static class SyncRecovery
{
    public const string Reason = "restored from an older backup: this machine had pushed a newer version before the restore; pulled back by key on the next sync";

    public static int Park(string restoredCopy, IReadOnlyList<LossComparison.Recoverable> keys, DateTimeOffset now)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        using var connection = SnapshotCopy.Open(restoredCopy, SqliteOpenMode.ReadWrite);
        if (LossComparison.Scalar(connection, $"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '{CaptureSql.Parked}'") == 0)
        {
            return 0; // a backup from before sync was installed: the next open installs capture and backfills
        }

        using var transaction = connection.BeginTransaction();
        using var park = connection.CreateCommand();
        park.Transaction = transaction;
        park.CommandText =
            $"INSERT INTO \"{CaptureSql.Parked}\" (\"tbl\", \"pk\", \"direction\", \"hlc\", \"origin\", \"reason\", \"since\", \"attempts\") VALUES ($t, $k, 'pull', $h, $o, $r, $s, 0) " +
            "ON CONFLICT (\"tbl\", \"pk\", \"direction\") DO UPDATE SET \"hlc\" = excluded.\"hlc\", \"origin\" = excluded.\"origin\", \"reason\" = excluded.\"reason\"";
        var t = park.Parameters.Add("$t", SqliteType.Text);
        var k = park.Parameters.Add("$k", SqliteType.Text);
        var h = park.Parameters.Add("$h", SqliteType.Integer);
        var o = park.Parameters.Add("$o", SqliteType.Text);
        park.Parameters.AddWithValue("$r", Reason);
        park.Parameters.AddWithValue("$s", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        foreach (var key in keys)
        {
            t.Value = key.Table;
            k.Value = key.Key;
            h.Value = key.Hlc;
            o.Value = (object?)key.Origin ?? DBNull.Value;
            park.ExecuteNonQuery();
        }

        transaction.Commit();
        return keys.Count;
    }
}

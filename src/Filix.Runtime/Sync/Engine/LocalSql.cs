using Filix.Runtime.Sync.Local;

namespace Filix.Runtime.Sync.Engine;

/// <summary>
/// The SQLite statements sync runs for one shared table, built once per table (the writer and the readers prepare
/// each once per connection through <see cref="Sqlite.SqliteSession.Command"/>, keyed by these string instances).
/// </summary>
internal sealed class LocalSql
{
    public LocalSql(SyncTable table)
    {
        Table = table;
        var quoted = SqlNames.Quote(table.Name);
        var columns = string.Join(", ", table.Columns.Select(SqlNames.Quote));
        var byKey = string.Join(" AND ", table.KeyColumns.Select((k, i) => $"t.{SqlNames.Quote(k)} = json_extract(r.\"pk\", '$[{i}]')"));
        var selected = string.Join(", ", table.Columns.Select(c => "t." + SqlNames.Quote(c)));
        var firstKey = "t." + SqlNames.Quote(table.KeyColumns[0]);

        // A pending batch (see SYNC-DESIGN "Reading a pending batch"): the row's current values joined by key, so ten
        // edits before a push travel as one. "gone": marked live but the row is not there (it vanished without a
        // trigger, e.g. INSERT OR REPLACE by another tool): pushed as a delete. INDEXED BY: the hlc order is the
        // batch order, and a plan that sorts the table's whole history per batch would be quadratic.
        Pending =
            $"SELECT {selected}, r.\"pk\", r.\"hlc\", r.\"deleted\", {firstKey} IS NULL FROM \"{CaptureSql.Rows}\" r INDEXED BY \"_filix_rows_hlc\" " +
            $"LEFT JOIN {quoted} t ON r.\"deleted\" = 0 AND {byKey} " +
            "WHERE r.\"tbl\" = $p0 AND r.\"origin\" IS NULL AND r.\"hlc\" > $p1 AND r.\"hlc\" <= $p2 ORDER BY r.\"hlc\" LIMIT $p3";

        // Rows parked on push, with their current values (a newer local edit travels in their place).
        ParkedPush =
            $"SELECT {selected}, r.\"pk\", r.\"hlc\", r.\"deleted\", {firstKey} IS NULL FROM \"{CaptureSql.Parked}\" p " +
            $"JOIN \"{CaptureSql.Rows}\" r ON r.\"tbl\" = p.\"tbl\" AND r.\"pk\" = p.\"pk\" LEFT JOIN {quoted} t ON r.\"deleted\" = 0 AND {byKey} " +
            "WHERE p.\"tbl\" = $p0 AND p.\"direction\" = 'push' AND r.\"origin\" IS NULL ORDER BY r.\"hlc\"";

        var values = string.Join(", ", table.Columns.Select((_, i) => "$p" + i));
        var nonKeys = table.Columns.Where(c => !table.KeyColumns.Contains(c)).ToList();
        var keys = string.Join(", ", table.KeyColumns.Select(SqlNames.Quote));

        // Never INSERT OR REPLACE: its delete of a unique-conflicting row would bypass the conflict we must park.
        Upsert = $"INSERT INTO {quoted} ({columns}) VALUES ({values}) ON CONFLICT ({keys}) " +
                 (nonKeys.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", nonKeys.Select(c => $"{SqlNames.Quote(c)} = excluded.{SqlNames.Quote(c)}")));
        // The same upsert with last-write-wins inside it, for the bulk of a pull: a live row applies only when no
        // local version is newer or equal ((hlc, origin or this machine) >= (version, origin), text compared
        // byte-wise as upstream's COLLATE "C" does). One statement a row instead of a lookup and an upsert; the
        // rows it changed (0 or 1) say which. Parameters after the columns: tbl, pk, version, origin, this machine.
        // A table whose columns are all key has DO NOTHING, which cannot tell "newer here" from "already there".
        var n = table.Columns.Count;
        UpsertIfNewer = nonKeys.Count == 0 ? null :
            $"INSERT INTO {quoted} ({columns}) SELECT {values} WHERE NOT EXISTS (SELECT 1 FROM \"{CaptureSql.Rows}\" r WHERE r.\"tbl\" = $p{n} AND r.\"pk\" = $p{n + 1} " +
            $"AND (r.\"hlc\" > $p{n + 2} OR (r.\"hlc\" = $p{n + 2} AND coalesce(r.\"origin\", $p{n + 4}) >= $p{n + 3}))) ON CONFLICT ({keys}) " +
            "DO UPDATE SET " + string.Join(", ", nonKeys.Select(c => $"{SqlNames.Quote(c)} = excluded.{SqlNames.Quote(c)}"));
        Delete = $"DELETE FROM {quoted} WHERE " + string.Join(" AND ", table.KeyColumns.Select((k, i) => $"{SqlNames.Quote(k)} = json_extract($p0, '$[{i}]')"));
        KeyOrdinals = table.KeyColumns.Select(k => table.Columns.ToList().IndexOf(k)).ToArray();
        KeyJson = "SELECT json_array(" + string.Join(", ", KeyOrdinals.Select((_, i) => "$p" + i)) + ")";
        Exists = $"SELECT 1 FROM {quoted} WHERE " + string.Join(" AND ", table.KeyColumns.Select((k, i) => $"{SqlNames.Quote(k)} = json_extract($p0, '$[{i}]')"));

        // Full resync: live local rows of the table that upstream did not send and that are not pending pushes.
        ResyncStale =
            $"SELECT r.\"pk\" FROM \"{CaptureSql.Rows}\" r WHERE r.\"tbl\" = $p0 AND r.\"deleted\" = 0 AND r.\"pk\" NOT IN (SELECT \"pk\" FROM temp.\"_filix_seen\") " +
            "AND NOT (r.\"origin\" IS NULL AND r.\"hlc\" > $p1)";
    }

    public SyncTable Table { get; }

    public string Pending { get; }

    public string ParkedPush { get; }

    public string Upsert { get; }

    /// <summary>The upsert with last-write-wins in its <c>WHERE</c> (see the constructor); null for a table whose
    /// columns are all key.</summary>
    public string? UpsertIfNewer { get; }

    public string Delete { get; }

    public string KeyJson { get; }

    public string Exists { get; }

    public string ResyncStale { get; }

    /// <summary>Where each key column is among the table's columns.</summary>
    public int[] KeyOrdinals { get; }

    public const string Version = "SELECT \"hlc\", \"origin\" FROM \"_filix_rows\" WHERE \"tbl\" = $p0 AND \"pk\" = $p1";

    public const string Record =
        "INSERT INTO \"_filix_rows\" (\"tbl\", \"pk\", \"hlc\", \"origin\", \"deleted\") VALUES ($p0, $p1, $p2, $p3, $p4) " +
        "ON CONFLICT (\"tbl\", \"pk\") DO UPDATE SET \"hlc\" = excluded.\"hlc\", \"origin\" = excluded.\"origin\", \"deleted\" = excluded.\"deleted\"";

    public const string StartApplying = "INSERT INTO \"_filix_applying\" (\"x\") VALUES (1)";

    public const string StopApplying = "DELETE FROM \"_filix_applying\"";

    public const string SetPulled =
        "INSERT INTO \"_filix_sync_tables\" (\"tbl\", \"pulled_xid\", \"pulled_at\") VALUES ($p0, $p1, $p2) " +
        "ON CONFLICT (\"tbl\") DO UPDATE SET \"pulled_xid\" = excluded.\"pulled_xid\", \"pulled_at\" = excluded.\"pulled_at\" " +
        // Never backwards: two syncs of one database (the daemon and a manual one) may finish out of order.
        "WHERE CAST(excluded.\"pulled_xid\" AS INTEGER) >= CAST(\"pulled_xid\" AS INTEGER)";

    public const string SetPushed =
        "INSERT INTO \"_filix_sync_tables\" (\"tbl\", \"pushed_hlc\", \"pushed_at\") VALUES ($p0, $p1, $p2) " +
        "ON CONFLICT (\"tbl\") DO UPDATE SET \"pushed_hlc\" = max(\"pushed_hlc\", excluded.\"pushed_hlc\"), \"pushed_at\" = excluded.\"pushed_at\"";

    public const string Park =
        "INSERT INTO \"_filix_parked\" (\"tbl\", \"pk\", \"direction\", \"hlc\", \"origin\", \"reason\", \"since\", \"attempts\") VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, 1) " +
        "ON CONFLICT (\"tbl\", \"pk\", \"direction\") DO UPDATE SET \"hlc\" = excluded.\"hlc\", \"origin\" = excluded.\"origin\", \"reason\" = excluded.\"reason\", \"attempts\" = \"attempts\" + 1";

    public const string Unpark = "DELETE FROM \"_filix_parked\" WHERE \"tbl\" = $p0 AND \"pk\" = $p1 AND \"direction\" = $p2";

    public const string CreateSeen = "CREATE TEMP TABLE IF NOT EXISTS \"_filix_seen\" (\"pk\" TEXT PRIMARY KEY) WITHOUT ROWID";

    public const string Seen = "INSERT OR IGNORE INTO temp.\"_filix_seen\" (\"pk\") VALUES ($p0)";

    public const string ClearSeen = "DELETE FROM temp.\"_filix_seen\"";

    /// <summary>How far a drained push may move its cursor: the largest version in <c>_filix_rows</c>, but below the
    /// first capture still waiting in <c>_filix_log</c> (not folded yet), so a local change is never passed over
    /// whatever order a fold and a re-versioning write took.</summary>
    public const string DrainedVersion =
        "SELECT min(coalesce((SELECT max(\"hlc\") FROM \"_filix_rows\"), 0), coalesce((SELECT min(\"hlc\") FROM \"_filix_log\") - 1, 9223372036854775807))";
}

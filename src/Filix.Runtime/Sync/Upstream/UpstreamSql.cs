using System.Text;

namespace Filix.Runtime.Sync.Upstream;

/// <summary>
/// The upstream statements of one shared table, built once from its <see cref="SyncTable"/> names with the one
/// quoting rule. Only the columns this build knows appear in them: a machine one migration behind writes and reads
/// those and never nulls a column it does not have.
/// </summary>
internal sealed class UpstreamSql
{
    public const string Tombstones = "_filix_tombstones";
    public const string Machines = "_filix_machines";
    public const string Horizon = "_filix_horizon";

    public UpstreamSql(SyncTable table)
    {
        Table = table;
        Schema = SqlNames.Quote(table.Domain);
        Qualified = Schema + "." + SqlNames.Quote(table.Name);
        TombstonesTable = Schema + "." + SqlNames.Quote(Tombstones);
        TableLiteral = SqlNames.Literal(table.Name);

        // Temp tables are per connection; the domain is in the name because two domains may have tables of one name.
        Stage = SqlNames.Quote($"_filix_stage_{table.Domain}_{table.Name}");
        var columns = string.Join(", ", table.Columns.Select(SqlNames.Quote));
        var staged = string.Join(", ", table.Columns.Select(c => "s." + SqlNames.Quote(c)));
        var keys = string.Join(", ", table.KeyColumns.Select(SqlNames.Quote));
        var set = string.Join(", ", table.Columns.Where(c => !table.KeyColumns.Contains(c)).Select(c => $"{SqlNames.Quote(c)} = excluded.{SqlNames.Quote(c)}")
            .Append("\"_filix_pk\" = excluded.\"_filix_pk\"").Append("\"_filix_version\" = excluded.\"_filix_version\"").Append("\"synced_from\" = excluded.\"synced_from\"").Append("\"_filix_xid\" = pg_current_xact_id()").Append("\"synced_at\" = now()"));

        // Made from the table's known columns WITH NO DATA: the same types as upstream, none of its NOT NULLs (a
        // delete travels with its columns null). ON COMMIT DELETE ROWS: every batch starts empty.
        CreateStage =
            $"CREATE TEMP TABLE IF NOT EXISTS {Stage} ON COMMIT DELETE ROWS AS SELECT {columns}, NULL::text AS \"_filix_pk\", NULL::bigint AS \"_filix_version\", " +
            $"NULL::text AS \"synced_from\", NULL::boolean AS \"_filix_deleted\" FROM {Qualified} WITH NO DATA";
        Copy = $"COPY {Stage} ({columns}, \"_filix_pk\", \"_filix_version\", \"synced_from\", \"_filix_deleted\") FROM STDIN (FORMAT BINARY)";
        ClearStage = $"DELETE FROM {Stage}";

        // A first push straight into the table (Engine/PushDirect): only rows upstream has no version of at all, so
        // inserting them is what the merge would do. A live row of the key fails the COPY on a unique index; a
        // tombstone of a key the COPY inserted is found by the check (this transaction's rows by their xid).
        DirectCopy = $"COPY {Qualified} ({columns}, \"_filix_pk\", \"_filix_version\", \"synced_from\") FROM STDIN (FORMAT BINARY)";
        DirectTombstoned =
            $"SELECT EXISTS (SELECT 1 FROM {Qualified} t JOIN {TombstonesTable} d ON d.\"tbl\" = {TableLiteral} AND d.\"pk\" = t.\"_filix_pk\" " +
            "WHERE t.\"_filix_xid\" = pg_current_xact_id())";

        // Machine ids compare byte-wise (COLLATE "C") on every machine and upstream, whatever the database's collation.
        // Live rows. An older tombstone of the key goes first, so a remaining tombstone is newer-or-equal and keeps
        // the row deleted. The LWW guard is in the upsert's WHERE: the upstream decides, atomically, and a losing
        // version is a no-op DO UPDATE that fires no trigger (no xid churn, nothing for others to pull).
        MergeLive =
            $"DELETE FROM {TombstonesTable} d USING {Stage} s WHERE d.\"tbl\" = {TableLiteral} AND d.\"pk\" = s.\"_filix_pk\" AND NOT s.\"_filix_deleted\" " +
            "AND (d.\"version\", d.\"origin\" COLLATE \"C\") < (s.\"_filix_version\", s.\"synced_from\" COLLATE \"C\");\n" +
            $"INSERT INTO {Qualified} AS t ({columns}, \"_filix_pk\", \"_filix_version\", \"synced_from\") " +
            $"SELECT {staged}, s.\"_filix_pk\", s.\"_filix_version\", s.\"synced_from\" FROM {Stage} s WHERE NOT s.\"_filix_deleted\" " +
            $"AND NOT EXISTS (SELECT 1 FROM {TombstonesTable} d WHERE d.\"tbl\" = {TableLiteral} AND d.\"pk\" = s.\"_filix_pk\") " +
            $"ON CONFLICT ({keys}) DO UPDATE SET {set} " +
            "WHERE (excluded.\"_filix_version\", excluded.\"synced_from\" COLLATE \"C\") > (t.\"_filix_version\", coalesce(t.\"synced_from\", '') COLLATE \"C\")";

        // Deletes: the row goes when the delete is newer; the tombstone is kept (LWW against an older one) unless a
        // newer live version remains.
        MergeDeletes =
            $"DELETE FROM {Qualified} t USING {Stage} s WHERE s.\"_filix_deleted\" AND t.\"_filix_pk\" = s.\"_filix_pk\" " +
            "AND (t.\"_filix_version\", coalesce(t.\"synced_from\", '') COLLATE \"C\") < (s.\"_filix_version\", s.\"synced_from\" COLLATE \"C\");\n" +
            $"INSERT INTO {TombstonesTable} AS d (\"tbl\", \"pk\", \"version\", \"origin\") SELECT {TableLiteral}, s.\"_filix_pk\", s.\"_filix_version\", s.\"synced_from\" " +
            $"FROM {Stage} s WHERE s.\"_filix_deleted\" AND NOT EXISTS (SELECT 1 FROM {Qualified} t WHERE t.\"_filix_pk\" = s.\"_filix_pk\") " +
            "ON CONFLICT (\"tbl\", \"pk\") DO UPDATE SET \"version\" = excluded.\"version\", \"origin\" = excluded.\"origin\", \"xid\" = pg_current_xact_id(), \"synced_at\" = now() " +
            "WHERE (excluded.\"version\", excluded.\"origin\" COLLATE \"C\") > (d.\"version\", d.\"origin\" COLLATE \"C\")";

        // Live rows then tombstones of the window, in delivery (xid) order; the NULL columns of a tombstone take the
        // live branch's types. Ordinals: columns 0..n-1, then pk, version, origin, deleted, xid (text).
        var nulls = string.Join(", ", table.Columns.Select(_ => "NULL"));
        var window = "\"_filix_xid\" >= $1::xid8 AND \"_filix_xid\" < $2::xid8";
        PullWindow =
            $"SELECT {columns}, \"_filix_pk\", \"_filix_version\", \"synced_from\", false AS \"_filix_deleted\", \"_filix_xid\" AS \"_filix_x\" FROM {Qualified} " +
            $"WHERE {window} AND \"synced_from\" IS DISTINCT FROM $3 " +
            $"UNION ALL SELECT {nulls}, \"pk\", \"version\", \"origin\", true, \"xid\" FROM {TombstonesTable} " +
            $"WHERE \"tbl\" = {TableLiteral} AND \"xid\" >= $1::xid8 AND \"xid\" < $2::xid8 AND \"origin\" IS DISTINCT FROM $3 ORDER BY \"_filix_x\"";

        // The current upstream state of given keys (parked rows are re-read by key), whoever wrote it.
        PullKeys =
            $"SELECT {columns}, \"_filix_pk\", \"_filix_version\", \"synced_from\", false AS \"_filix_deleted\", \"_filix_xid\" AS \"_filix_x\" FROM {Qualified} WHERE \"_filix_pk\" = ANY ($1) " +
            $"UNION ALL SELECT {nulls}, \"pk\", \"version\", \"origin\", true, \"xid\" FROM {TombstonesTable} WHERE \"tbl\" = {TableLiteral} AND \"pk\" = ANY ($1) ORDER BY \"_filix_x\"";

        // Every live row (full resync after the tombstone horizon passed this machine).
        PullAll =
            $"SELECT {columns}, \"_filix_pk\", \"_filix_version\", \"synced_from\", false AS \"_filix_deleted\", \"_filix_xid\" AS \"_filix_x\" FROM {Qualified} WHERE \"_filix_xid\" < $1::xid8 ORDER BY \"_filix_xid\"";

        Behind =
            $"SELECT (SELECT count(*) FROM {Qualified} WHERE \"_filix_xid\" >= $1::xid8 AND \"synced_from\" IS DISTINCT FROM $2) + " +
            $"(SELECT count(*) FROM {TombstonesTable} WHERE \"tbl\" = {TableLiteral} AND \"xid\" >= $1::xid8 AND \"origin\" IS DISTINCT FROM $2)";
    }

    public SyncTable Table { get; }

    public string Schema { get; }

    public string Qualified { get; }

    public string TombstonesTable { get; }

    public string TableLiteral { get; }

    public string Stage { get; }

    public string CreateStage { get; }

    public string Copy { get; }

    public string ClearStage { get; }

    public string DirectCopy { get; }

    public string DirectTombstoned { get; }

    public string MergeLive { get; }

    public string MergeDeletes { get; }

    public string PullWindow { get; }

    public string PullKeys { get; }

    public string PullAll { get; }

    public string Behind { get; }

    /// <summary>Ordinal of the first bookkeeping column of a pulled row (pk), after the table's columns.</summary>
    public int Extra => Table.Columns.Count;
}

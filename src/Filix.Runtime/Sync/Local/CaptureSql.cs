using System.Text;

namespace Filix.Runtime.Sync.Local;

/// <summary>
/// The local half of sync as SQL: the bookkeeping tables every database with shared tables carries, and the capture
/// triggers that record each insert, update and delete of a shared table, whoever makes it (a repository, raw SQL,
/// a Python script with its own <c>sqlite3</c>). Triggers use only built-in SQL (no function Filix registers), so
/// they run in every process and language that opens the file.
/// </summary>
/// <remarks>
/// <para><c>_filix_rows</c> holds one entry per row ever written (live or deleted) of a shared table: its key as
/// the JSON array of its stored key values (<c>json_array(k1, k2)</c>: the same text on every machine), its version
/// (<c>hlc</c>), the machine that wrote that version (<c>origin</c>: NULL for this machine, so a copied file never
/// claims another machine's id) and whether that version is a delete. A local write only marks the key dirty: push
/// reads the row's current values, so ten updates before a push travel as one.</para>
/// <para>The version is a hybrid logical clock packed in one integer: milliseconds since 1970 times 65,536 plus a
/// counter. A new local version is the larger of "now" and one more than the largest version the database has seen
/// (its own and every pulled one), so it orders after everything this machine has seen even when its wall clock runs
/// behind; the counter absorbs 65,536 writes a millisecond before the clock moves on. Because SQLite has one writer
/// at a time, local versions also increase in commit order: the push cursor (the largest version pushed) is
/// commit-safe on this side without further work.</para>
/// <para>Rows that sync itself applies are not captured: it inserts a row into <c>_filix_applying</c> inside its
/// own transaction and deletes it before committing, so no other connection ever sees the flag.</para>
/// </remarks>
internal static class CaptureSql
{
    public const string Rows = "_filix_rows";
    public const string Applying = "_filix_applying";
    public const string SyncTables = "_filix_sync_tables";
    public const string Parked = "_filix_parked";
    public const string SyncMeta = "_filix_sync_meta";

    /// <summary>The bookkeeping tables, created once per database (idempotent).</summary>
    public static readonly string[] Tables =
    [
        """CREATE TABLE IF NOT EXISTS "_filix_rows" ("tbl" TEXT NOT NULL, "pk" TEXT NOT NULL, "hlc" INTEGER NOT NULL, "origin" TEXT, "deleted" INTEGER NOT NULL DEFAULT 0, PRIMARY KEY ("tbl", "pk")) WITHOUT ROWID""",
        """CREATE INDEX IF NOT EXISTS "_filix_rows_hlc" ON "_filix_rows" ("hlc")""",
        """CREATE TABLE IF NOT EXISTS "_filix_applying" ("x" INTEGER)""",
        // Per shared table: the largest local version pushed, the upstream xid8 every row below which has been
        // pulled (text: xid8 is 64-bit unsigned), and when each last succeeded (informational).
        """CREATE TABLE IF NOT EXISTS "_filix_sync_tables" ("tbl" TEXT PRIMARY KEY, "pushed_hlc" INTEGER NOT NULL DEFAULT 0, "pulled_xid" TEXT NOT NULL DEFAULT '0', "pushed_at" TEXT, "pulled_at" TEXT) WITHOUT ROWID""",
        // Rows that could not apply, by direction ('push': upstream refused our version; 'pull': this database refused
        // upstream's), with the reason in words; retried on every sync until they apply or are superseded.
        """CREATE TABLE IF NOT EXISTS "_filix_parked" ("tbl" TEXT NOT NULL, "pk" TEXT NOT NULL, "direction" TEXT NOT NULL, "hlc" INTEGER NOT NULL, "origin" TEXT, "reason" TEXT NOT NULL, "since" TEXT NOT NULL, "attempts" INTEGER NOT NULL DEFAULT 1, PRIMARY KEY ("tbl", "pk", "direction")) WITHOUT ROWID""",
        // machine: this data folder's machine id as the last sync saw it; upstream: which upstream the cursors belong to.
        """CREATE TABLE IF NOT EXISTS "_filix_sync_meta" ("key" TEXT PRIMARY KEY, "value" TEXT) WITHOUT ROWID""",
    ];

    /// <summary>The next local version (see remarks): one more than any version seen, or now, whichever is larger.
    /// "Now" is rounded: julianday holds whole milliseconds as a fraction of a day, and truncating it back would give
    /// the millisecond before about half the time. (unixepoch('subsec') would be exact but needs SQLite 3.42, and the
    /// triggers must run in every sqlite3 that opens the file, such as Python's 3.40.)</summary>
    public const string NextVersion =
        """max(coalesce((SELECT max("hlc") FROM "_filix_rows"), 0) + 1, CAST(round((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER) * 65536)""";

    /// <summary>The name of the capture trigger of <paramref name="table"/> for <paramref name="operation"/>
    /// (<c>insert</c>, <c>update</c>, <c>delete</c>).</summary>
    public static string TriggerName(string table, string operation) => $"_filix_capture_{table}_{operation}";

    /// <summary>The key of the row <paramref name="alias"/> (<c>NEW</c>, <c>OLD</c>, or a table alias) as the JSON text
    /// <c>_filix_rows.pk</c> holds.</summary>
    public static string KeyJson(SyncTable table, string alias) =>
        "json_array(" + string.Join(", ", table.KeyColumns.Select(c => alias + "." + SqlNames.Quote(c))) + ")";

    /// <summary>The three capture triggers of a shared table.</summary>
    public static IReadOnlyList<string> Triggers(SyncTable table)
    {
        var name = SqlNames.Literal(table.Name);
        var quoted = SqlNames.Quote(table.Name);
        const string When = """WHEN NOT EXISTS (SELECT 1 FROM "_filix_applying")""";
        return
        [
            $"""CREATE TRIGGER {SqlNames.Quote(TriggerName(table.Name, "insert"))} AFTER INSERT ON {quoted} {When} BEGIN {Mark(name, KeyJson(table, "NEW"), deleted: false)}; END""",
            $"""CREATE TRIGGER {SqlNames.Quote(TriggerName(table.Name, "update"))} AFTER UPDATE ON {quoted} {When} BEGIN {Mark(name, KeyJson(table, "NEW"), deleted: false)}; {MarkIf(name, KeyJson(table, "OLD"), $"{KeyJson(table, "OLD")} IS NOT {KeyJson(table, "NEW")}")}; END""",
            $"""CREATE TRIGGER {SqlNames.Quote(TriggerName(table.Name, "delete"))} AFTER DELETE ON {quoted} {When} BEGIN {Mark(name, KeyJson(table, "OLD"), deleted: true)}; END""",
        ];
    }

    private static string Mark(string table, string key, bool deleted) =>
        $"""INSERT INTO "_filix_rows" ("tbl", "pk", "hlc", "origin", "deleted") VALUES ({table}, {key}, {NextVersion}, NULL, {(deleted ? 1 : 0)}) {OnConflict}""";

    /// <summary>An update that changed the key deletes the old key (a key is a row's identity on every machine).</summary>
    private static string MarkIf(string table, string key, string condition) =>
        $"""INSERT INTO "_filix_rows" ("tbl", "pk", "hlc", "origin", "deleted") SELECT {table}, {key}, {NextVersion}, NULL, 1 WHERE {condition} {OnConflict}""";

    private const string OnConflict =
        "ON CONFLICT (\"tbl\", \"pk\") DO UPDATE SET \"hlc\" = excluded.\"hlc\", \"origin\" = NULL, \"deleted\" = excluded.\"deleted\"";
}

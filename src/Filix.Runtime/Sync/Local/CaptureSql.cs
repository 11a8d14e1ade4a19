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
/// <para>A trigger does not write <c>_filix_rows</c> itself: it appends to <c>_filix_log</c> (a rowid table without
/// indexes, so each capture is one append to the last page), which is folded into <c>_filix_rows</c> in key order
/// by the trigger every <see cref="FoldEvery"/> captures, by Filix's writer at the end of a transaction once the log
/// holds half that (<see cref="CommitFold"/>: outside every savepoint), at the start of every sync apply (inserting
/// the <c>_filix_applying</c> row folds, so a pull always compares with every local change), and by the sweep the
/// engine runs before each push (<see cref="CaptureSweep.RunAsync"/>). Measured on <c>filix bench writers</c>: a
/// trigger upserting <c>_filix_rows</c> at a random place in its key order cost ~45% of the write path's CPU per row,
/// the append ~7%. A fold's cost is the pages of <c>_filix_rows</c> it touches (the keys land at random places), so
/// per capture it falls as the fold grows: folding every 1,024 captures was still most of capture's cost on the
/// write path, every 16,384 a fraction of it (docs/benchmarks.md); a sync (watch mode pushes within ~100 ms) folds
/// long before that. So <c>_filix_rows</c> is exact after a fold; anything reading it without folding first (a reader
/// connection) reads <see cref="Current"/> instead.</para>
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
    public const string Log = "_filix_log";

    /// <summary>How many captures the log holds at most before a trigger folds it (its rowid restarts at 1 after): the
    /// bound for writers other than Filix's (a Python script); large, because a fold's cost per capture falls with
    /// its size (see remarks), and small enough that reading the log unfolded (<see cref="Current"/>) stays cheap.</summary>
    public const int FoldEvery = 16384;

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
        // Local changes captured since the last fold, in capture order (rowid): see remarks.
        """CREATE TABLE IF NOT EXISTS "_filix_log" ("tbl" TEXT NOT NULL, "pk" TEXT NOT NULL, "hlc" INTEGER NOT NULL, "deleted" INTEGER NOT NULL)""",
    ];

    /// <summary>Moves the log into <c>_filix_rows</c> and empties it. Rows go in key order (one pass along
    /// <c>_filix_rows</c>'s b-tree instead of a jump per row) and, within a key, in capture order, so the latest
    /// capture of a key wins. Runs inside the caller's transaction, or inside a trigger (<see cref="FoldTriggers"/>).</summary>
    public const string Fold =
        """INSERT INTO "_filix_rows" ("tbl", "pk", "hlc", "origin", "deleted") SELECT "tbl", "pk", "hlc", NULL, "deleted" FROM "_filix_log" WHERE true ORDER BY "tbl", "pk", rowid """ +
        """ON CONFLICT ("tbl", "pk") DO UPDATE SET "hlc" = excluded."hlc", "origin" = NULL, "deleted" = excluded."deleted"; DELETE FROM "_filix_log";""";

    /// <summary>The folds triggers make: every <see cref="FoldEvery"/> captures, and when sync's apply starts (it inserts
    /// the <c>_filix_applying</c> row first, so it compares pulled versions with every local change).</summary>
    public static readonly IReadOnlyList<(string Name, string Sql)> FoldTriggers =
    [
        ("_filix_capture_fold_log", $"""CREATE TRIGGER "_filix_capture_fold_log" AFTER INSERT ON "_filix_log" WHEN NEW.rowid % {FoldEvery} = 0 BEGIN {Fold} END"""),
        ("_filix_capture_fold_applying", $"""CREATE TRIGGER "_filix_capture_fold_applying" AFTER INSERT ON "_filix_applying" BEGIN {Fold} END"""),
    ];

    /// <summary>Every key's latest entry, folded or not (columns tbl, pk, hlc, origin, deleted): what a reader that
    /// cannot fold reads instead of <c>_filix_rows</c> (the provenance view, status). The log is small (folded every
    /// <see cref="FoldEvery"/> captures), and the joins on it get SQLite's automatic indexes.</summary>
    public const string Current =
        """SELECT r."tbl" AS "tbl", r."pk" AS "pk", r."hlc" AS "hlc", r."origin" AS "origin", r."deleted" AS "deleted" FROM "_filix_rows" r LEFT JOIN "_filix_log" l ON l."tbl" = r."tbl" AND l."pk" = r."pk" WHERE l."tbl" IS NULL """ +
        """UNION ALL SELECT l."tbl", l."pk", l."hlc", NULL, l."deleted" FROM "_filix_log" l LEFT JOIN "_filix_log" n ON n."tbl" = l."tbl" AND n."pk" = l."pk" AND n.rowid > l.rowid WHERE n."tbl" IS NULL""";

    /// <summary>The next local version (see remarks): one more than any version seen, or now, whichever is larger.
    /// "Now" is rounded: julianday holds whole milliseconds as a fraction of a day, and truncating it back would give
    /// the millisecond before about half the time. (unixepoch('subsec') would be exact but needs SQLite 3.42, and the
    /// triggers must run in every sqlite3 that opens the file, such as Python's 3.40.)
    /// The largest version seen is the larger of the log's last (its versions grow with its rowid) and
    /// <c>_filix_rows</c>'s largest (its index): two seeks.</summary>
    public const string NextVersion =
        """max(max(coalesce((SELECT "hlc" FROM "_filix_log" ORDER BY rowid DESC LIMIT 1), 0), coalesce((SELECT max("hlc") FROM "_filix_rows"), 0)) + 1, CAST(round((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER) * 65536)""";

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
            $"""CREATE TRIGGER {SqlNames.Quote(TriggerName(table.Name, "update"))} AFTER UPDATE ON {quoted} {When} BEGIN {Mark(name, KeyJson(table, "NEW"), deleted: false)}; {MarkIf(name, KeyJson(table, "OLD"), KeyChanged(table))}; END""",
            $"""CREATE TRIGGER {SqlNames.Quote(TriggerName(table.Name, "delete"))} AFTER DELETE ON {quoted} {When} BEGIN {Mark(name, KeyJson(table, "OLD"), deleted: true)}; END""",
        ];
    }

    /// <summary>Whether an update changed the key: the key columns compared as SQLite compares them for the primary
    /// key's uniqueness (cheaper than building both JSON arrays on every update).</summary>
    private static string KeyChanged(SyncTable table) =>
        string.Join(" OR ", table.KeyColumns.Select(c => $"OLD.{SqlNames.Quote(c)} IS NOT NEW.{SqlNames.Quote(c)}"));

    private static string Mark(string table, string key, bool deleted) =>
        $"""INSERT INTO "_filix_log" ("tbl", "pk", "hlc", "deleted") VALUES ({table}, {key}, {NextVersion}, {(deleted ? 1 : 0)})""";

    /// <summary>An update that changed the key deletes the old key (a key is a row's identity on every machine).</summary>
    private static string MarkIf(string table, string key, string condition) =>
        $"""INSERT INTO "_filix_log" ("tbl", "pk", "hlc", "deleted") SELECT {table}, {key}, {NextVersion}, 1 WHERE {condition}""";
}

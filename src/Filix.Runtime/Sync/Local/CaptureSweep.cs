using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sync.Local;

/// <summary>What a sweep recorded: rows found without a live entry (now pending changes) and live entries whose row is
/// gone (now pending deletes).</summary>
internal readonly record struct SweepResult(long Changes, long Deletes)
{
    public static SweepResult None => default;

    public static SweepResult operator +(SweepResult a, SweepResult b) => new(a.Changes + b.Changes, a.Deletes + b.Deletes);
}

/// <summary>
/// Catches what the capture triggers cannot see. <c>INSERT OR REPLACE</c> by another tool deletes the row it collides
/// with on a <em>unique</em> (non-key) constraint without firing delete triggers (SQLite fires them only with
/// <c>recursive_triggers</c> on, which is off by default and per connection, so Filix cannot turn it on for another
/// process); and a write made while the triggers were missing (dropped by a tool, or before issue 11) is not captured
/// at all. The sweep compares each shared table with <c>_filix_rows</c> in two anti-joins and records the
/// differences as local changes, exactly as the triggers would have: a live entry whose row is gone is a delete, a row
/// without a live entry is a change.
/// </summary>
/// <remarks>
/// <para>The engine runs it in the writer before each push (<see cref="RunAsync"/>): it first folds the capture log
/// (<see cref="CaptureSql.Fold"/>), so <c>_filix_rows</c> then holds every local change, and a push never misses a
/// change a trigger could not see; it must be cheap, since watch mode pushes within ~100 ms of a commit. With the triggers in
/// place every row gets a live entry when it is written, so the only way the two can drift apart is a row vanishing
/// without its delete trigger, which leaves more live entries than rows: comparing the two counts (an index scan
/// each) tells whether a table needs the anti-joins at all. When the triggers are not all this build's (a tool
/// dropped one while this process ran), or a row was left in <c>_filix_applying</c> (only ever there inside sync's own
/// transaction, so any other is a foreign leftover that silences every trigger), the capture is installed again: it
/// removes the leftover, and its full sweep finds every difference.</para>
/// <para>The capture install runs the full sweep as its backfill (<see cref="Full"/>). Each recorded change gets its
/// own version: the next local version plus its row number, so versions stay unique and the push cursor (the
/// largest version pushed, batches cut by <c>LIMIT</c>) never skips a row that shares a version with the last one of
/// a batch.</para>
/// </remarks>
internal static class CaptureSweep
{
    /// <summary>Sweeps <paramref name="database"/>'s shared tables in one write (one transaction).</summary>
    public static Task<SweepResult> RunAsync(FilixDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.WriteAsync(static (session, schema) => Run(session.Connection, schema), database.Schema, cancellationToken);
    }

    /// <summary>The sweep before a push (see remarks), inside the caller's transaction.</summary>
    internal static SweepResult Run(SqliteConnection connection, DatabaseSchema schema)
    {
        if (schema.SyncTables.Count == 0)
        {
            return SweepResult.None;
        }

        if (!CaptureInstall.IsCurrent(connection, schema))
        {
            return CaptureInstall.Install(connection, schema);
        }

        Execute(connection, CaptureSql.Fold);
        var result = SweepResult.None;
        foreach (var table in schema.SyncTables)
        {
            if (Scalar(connection, DriftSql(table)) != 0)
            {
                result += Full(connection, [table]);
            }
        }

        return result;
    }

    /// <summary>Both anti-joins on every table of <paramref name="tables"/>, inside the caller's transaction, the
    /// capture log already folded.</summary>
    internal static SweepResult Full(SqliteConnection connection, IEnumerable<SyncTable> tables)
    {
        var result = SweepResult.None;
        foreach (var table in tables)
        {
            result += new SweepResult(Execute(connection, ChangesSql(table)), Execute(connection, DeletesSql(table)));
        }

        return result;
    }

    /// <summary>Rows minus live entries of a table: not zero when the table drifted from its entries.</summary>
    internal static string DriftSql(SyncTable table) =>
        $"""SELECT (SELECT count(*) FROM {SqlNames.Quote(table.Name)}) - (SELECT count(*) FROM "{CaptureSql.Rows}" WHERE "tbl" = {SqlNames.Literal(table.Name)} AND "deleted" = 0)""";

    /// <summary>Rows with no live entry (none at all, or one saying deleted) become pending changes.</summary>
    internal static string ChangesSql(SyncTable table)
    {
        var name = SqlNames.Literal(table.Name);
        var key = CaptureSql.KeyJson(table, "t");
        return $"""
            INSERT INTO "{CaptureSql.Rows}" ("tbl", "pk", "hlc", "origin", "deleted")
            SELECT {name}, {key}, {CaptureSql.NextVersion} + row_number() OVER () - 1, NULL, 0
            FROM {SqlNames.Quote(table.Name)} t
            WHERE NOT EXISTS (SELECT 1 FROM "{CaptureSql.Rows}" r WHERE r."tbl" = {name} AND r."pk" = {key} AND r."deleted" = 0)
            ON CONFLICT ("tbl", "pk") DO UPDATE SET "hlc" = excluded."hlc", "origin" = NULL, "deleted" = 0
            """;
    }

    /// <summary>Live entries whose row is gone become pending deletes.</summary>
    internal static string DeletesSql(SyncTable table)
    {
        var name = SqlNames.Literal(table.Name);
        var match = string.Join(" AND ", table.KeyColumns.Select((c, i) =>
            $"t.{SqlNames.Quote(c)} = json_extract(r.\"pk\", '$[{i.ToString(CultureInfo.InvariantCulture)}]')"));
        return $"""
            INSERT INTO "{CaptureSql.Rows}" ("tbl", "pk", "hlc", "origin", "deleted")
            SELECT {name}, r."pk", {CaptureSql.NextVersion} + row_number() OVER () - 1, NULL, 1
            FROM "{CaptureSql.Rows}" r
            WHERE r."tbl" = {name} AND r."deleted" = 0 AND NOT EXISTS (SELECT 1 FROM {SqlNames.Quote(table.Name)} t WHERE {match})
            ON CONFLICT ("tbl", "pk") DO UPDATE SET "hlc" = excluded."hlc", "origin" = NULL, "deleted" = 1
            """;
    }

    private static long Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}

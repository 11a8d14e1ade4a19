using System.Globalization;
using Filix.Runtime.Sqlite;

namespace Filix.Runtime.Sync.Local;

/// <summary>
/// Which machine last wrote a row of a shared table and whether that version is upstream, in SQL (the
/// <c>_filix_provenance</c> view, installed with capture) and through the typed API (<see cref="FilixSync.ProvenanceAsync"/>
/// and the generated repositories' <c>ProvenanceAsync(key…)</c>, which both read the view).
/// </summary>
/// <remarks>
/// The answer comes from <c>_filix_rows</c> and the capture log not yet folded into it (<see cref="CaptureSql.Current"/>),
/// which record the latest version of every row: <c>origin</c> is the machine
/// that wrote a pulled version (NULL: written here, whose id is the <c>machine</c> entry of <c>_filix_sync_meta</c>
/// once a sync has run); the version's clock gives when (<c>hlc &gt;&gt; 16</c> milliseconds since 1970, the writer's wall
/// clock). A version is upstream when it came from there, or when it is at or below the table's push cursor and is
/// not parked for push (the upstream refused it).
/// </remarks>
internal static class Provenance
{
    public const string ViewName = "_filix_provenance";

    /// <summary>The view (one row per captured row, live or deleted). Its text is compared with the installed one on
    /// every open (CaptureInstall), so a change here is installed everywhere by the next open.</summary>
    public const string ViewSql =
        """CREATE VIEW "_filix_provenance" AS SELECT r."tbl" AS "table", r."pk" AS "key", coalesce(r."origin", (SELECT m."value" FROM "_filix_sync_meta" m WHERE m."key" = 'machine')) AS "machine", r."origin" IS NULL AS "written_here", strftime('%Y-%m-%dT%H:%M:%fZ', (r."hlc" >> 16) / 1000.0, 'unixepoch') AS "written_at", r."hlc" AS "version", r."deleted" AS "deleted", (r."origin" IS NOT NULL OR (r."hlc" <= coalesce(s."pushed_hlc", 0) AND NOT EXISTS (SELECT 1 FROM "_filix_parked" p WHERE p."tbl" = r."tbl" AND p."pk" = r."pk" AND p."direction" = 'push'))) AS "pushed" FROM (""" + CaptureSql.Current + """) r LEFT JOIN "_filix_sync_tables" s ON s."tbl" = r."tbl""" + "\"";

    /// <summary>What a machine that has not synced yet calls itself in <see cref="RowProvenance.Machine"/>: its id is
    /// recorded by the first sync (the view shows NULL until then).</summary>
    public const string ThisMachine = "(this machine)";

    /// <summary>The provenance of the row of <paramref name="table"/> with key <paramref name="key"/> (stored forms, in
    /// key order); null when no version of that key was ever captured.</summary>
    public static Task<RowProvenance?> ReadAsync(FilixDatabase database, string table, object?[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(key);
        var shared = database.Schema.SyncTables.FirstOrDefault(t => t.Name == table)
            ?? throw new FilixException(
                $"'{table}' is not a shared table of the '{database.Schema.Domain}' domain ({database.Path}), so it has no provenance: " +
                $"only sync and optional tables are captured ({(database.Schema.SyncTables.Count == 0 ? "this domain has none" : string.Join(", ", database.Schema.SyncTables.Select(t => t.Name)))}).",
                database.Path);
        if (key.Length != shared.KeyColumns.Count)
        {
            throw new ArgumentException(
                $"The key of '{table}' has {shared.KeyColumns.Count} column(s) ({string.Join(", ", shared.KeyColumns)}); {key.Length} value(s) were given.", nameof(key));
        }

        var sql = Sql(key.Length);
        var values = new object?[key.Length + 1];
        values[0] = table;
        key.CopyTo(values, 1);
        return database.ReadAsync(static (session, state) => Read(session, state.sql, state.values), (sql, values), cancellationToken).AsTask();
    }

    private static RowProvenance? Read(SqliteSession session, string sql, object?[] values)
    {
        var command = session.Command(sql, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var version = reader.GetInt64(5);
        return new RowProvenance(
            reader.GetString(0),
            reader.GetString(1),
            reader.IsDBNull(2) ? ThisMachine : reader.GetString(2),
            reader.GetInt64(3) != 0,
            DateTimeOffset.FromUnixTimeMilliseconds(version >> 16),
            version,
            reader.GetInt64(6) != 0,
            reader.GetInt64(7) != 0);
    }

    // One text per key width, so the reader's prepared-statement cache sees the same string instance every time.
    private static readonly string[] Texts = Enumerable.Range(0, 9).Select(Build).ToArray();

    private static string Sql(int width) => width < Texts.Length ? Texts[width] : Build(width);

    private static string Build(int width) =>
        $"SELECT \"table\", \"key\", \"machine\", \"written_here\", \"written_at\", \"version\", \"deleted\", \"pushed\" FROM \"{ViewName}\" " +
        $"WHERE \"table\" = $p0 AND \"key\" = json_array({string.Join(", ", Enumerable.Range(1, width).Select(i => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
}

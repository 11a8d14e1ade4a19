using System.Globalization;
using Filix.Runtime.Sync.Local;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Backups.Restore;

/// <summary>
/// Compares the file a restore replaces (the "damaged" one, read where it is just before the swap) with the backup that replaces it,
/// table by table, by primary key: rows added, changed and deleted after the backup. For shared tables it also asks
/// the damaged file's change capture (<c>_filix_rows</c>, the log not yet folded, and the push cursor in
/// <c>_filix_sync_tables</c>) which of those changes had reached the upstream: a version at or below the push cursor
/// was pushed, and a version with an origin was pulled from another machine. Those keys are returned so the restore
/// can park them for a pull in the restored file (see <see cref="SyncRecovery"/>).
/// A damaged file may fail part-way: each table is compared on its own, and a table that cannot be read says so.
/// </summary>
internal static class LossComparison
{
    /// <summary>Per shared table, the keys whose newer version the upstream has, with that version and origin.</summary>
    public sealed record Recoverable(string Table, string Key, long Hlc, string? Origin);

    public static (LossReport Report, List<Recoverable> Keys) Compare(string damagedPath, string backupCopyPath)
    {
        var keys = new List<Recoverable>();
        SqliteConnection connection;
        try
        {
            connection = SnapshotCopy.Open(damagedPath, SqliteOpenMode.ReadOnly);
        }
        catch (SqliteException ex)
        {
            return (LossReport.NothingToCompare($"the replaced file cannot be opened ({ex.Message}), so what was written after the backup cannot be counted"), keys);
        }

        using (connection)
        {
            List<string> damagedTables;
            List<string> backupTables;
            HashSet<string> shared;
            try
            {
                using (var attach = connection.CreateCommand())
                {
                    attach.CommandText = "ATTACH DATABASE $path AS \"backup\"";
                    attach.Parameters.AddWithValue("$path", backupCopyPath);
                    attach.ExecuteNonQuery();
                }

                damagedTables = BackupVerifier.Tables(connection, "main").Where(IsUserTable).ToList();
                backupTables = BackupVerifier.Tables(connection, "backup").Where(IsUserTable).ToList();
                shared = SharedTables(connection);
            }
            catch (SqliteException ex)
            {
                return (LossReport.NothingToCompare($"the replaced file's schema cannot be read ({ex.Message}), so what was written after the backup cannot be counted"), keys);
            }

            var capture = CaptureState.Read(connection, shared);
            var tables = new List<TableLoss>();
            foreach (var table in damagedTables.Union(backupTables, StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                try
                {
                    var loss = CompareTable(connection, table, damagedTables.Contains(table), backupTables.Contains(table), shared.Contains(table), capture, keys);
                    if (loss.Total > 0)
                    {
                        tables.Add(loss);
                    }
                }
                catch (SqliteException ex)
                {
                    tables.Add(new TableLoss(table, 0, 0, 0, shared.Contains(table), 0, ex.Message));
                }
            }

            var unreadable = tables.Where(t => t.Error is not null).Select(t => t.Table).ToList();
            var note = capture.Error is not null ? $"its change capture cannot be read ({capture.Error}): which changes the upstream has is unknown" : "";
            if (unreadable.Count > 0)
            {
                note = $"the replaced file is damaged: {string.Join(", ", unreadable)} could not be read (its changes after the backup are unknown)" + (note.Length > 0 ? "; " + note : "");
            }

            return (new LossReport(true, note, tables), keys);
        }
    }

    private static bool IsUserTable(string name) => !name.StartsWith("_filix_", StringComparison.Ordinal);

    private static TableLoss CompareTable(SqliteConnection connection, string table, bool inDamaged, bool inBackup, bool shared, CaptureState capture, List<Recoverable> keys)
    {
        if (!inBackup || !inDamaged)
        {
            // A table one side lacks (a migration between them): all its rows are the difference.
            var count = Scalar(connection, $"SELECT count(*) FROM {(inDamaged ? "main" : "\"backup\"")}.{SqlNames.Quote(table)}");
            return new TableLoss(table, inDamaged ? count : 0, 0, inDamaged ? 0 : count, shared, 0);
        }

        var damagedColumns = Columns(connection, "main", table);
        var backupColumns = Columns(connection, "backup", table).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var common = damagedColumns.Where(c => backupColumns.Contains(c.Name)).ToList();
        var key = common.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name).ToList();
        if (key.Count == 0)
        {
            key = common.Select(c => c.Name).ToList(); // no key: a row is its values
        }

        var quoted = SqlNames.Quote(table);
        var match = string.Join(" AND ", key.Select(k => $"b.{SqlNames.Quote(k)} IS d.{SqlNames.Quote(k)}"));
        var differs = string.Join(" OR ", common.Where(c => !key.Contains(c.Name)).Select(c => $"b.{SqlNames.Quote(c.Name)} IS NOT d.{SqlNames.Quote(c.Name)}").DefaultIfEmpty("0"));
        string Json(string alias) => "json_array(" + string.Join(", ", key.Select(k => $"{alias}.{SqlNames.Quote(k)}")) + ")";

        var added = Keys(connection, $"SELECT {Json("d")} FROM main.{quoted} d WHERE NOT EXISTS (SELECT 1 FROM \"backup\".{quoted} b WHERE {match})");
        var changed = Keys(connection, $"SELECT {Json("d")} FROM main.{quoted} d JOIN \"backup\".{quoted} b ON {match} WHERE {differs}");
        var deleted = Keys(connection, $"SELECT {Json("b")} FROM \"backup\".{quoted} b WHERE NOT EXISTS (SELECT 1 FROM main.{quoted} d WHERE {match})");
        long upstreamHas = 0;
        if (shared)
        {
            foreach (var k in added.Concat(changed).Concat(deleted))
            {
                if (capture.Upstream(table, k) is { } version)
                {
                    upstreamHas++;
                    keys.Add(new Recoverable(table, k, version.Hlc, version.Origin));
                }
            }
        }

        return new TableLoss(table, added.Count, changed.Count, deleted.Count, shared, upstreamHas);
    }

    private static List<string> Keys(SqliteConnection connection, string sql)
    {
        var keys = new List<string>();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static List<(string Name, int Pk)> Columns(SqliteConnection connection, string schema, string table)
    {
        var columns = new List<(string, int)>();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name, pk FROM pragma_table_info({SqlNames.Literal(table)}, {SqlNames.Literal(schema)})";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return columns;
    }

    /// <summary>Tables with capture triggers in the damaged file: the ones that sync.</summary>
    private static HashSet<string> SharedTables(SqliteConnection connection)
    {
        var tables = new HashSet<string>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tbl_name FROM main.sqlite_schema WHERE type = 'trigger' AND name LIKE '\\_filix\\_capture\\_%\\_insert' ESCAPE '\\'";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    internal static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The damaged file's capture state: the push cursor per table and each key's latest version.</summary>
    private sealed class CaptureState
    {
        private readonly Dictionary<string, long> _pushed = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, string), (long Hlc, string? Origin)> _log = [];
        private SqliteCommand? _rows;

        public string? Error { get; private set; }

        public static CaptureState Read(SqliteConnection connection, HashSet<string> shared)
        {
            var state = new CaptureState();
            if (shared.Count == 0)
            {
                return state;
            }

            try
            {
                using (var command = connection.CreateCommand())
                {
                    command.CommandText = $"SELECT \"tbl\", \"pushed_hlc\" FROM main.\"{CaptureSql.SyncTables}\"";
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        state._pushed[reader.GetString(0)] = reader.GetInt64(1);
                    }
                }

                // The log holds captures not yet folded (at most ~1,024), newest last: they override _filix_rows.
                using (var command = connection.CreateCommand())
                {
                    command.CommandText = $"SELECT \"tbl\", \"pk\", \"hlc\" FROM main.\"{CaptureSql.Log}\" ORDER BY rowid";
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        state._log[(reader.GetString(0), reader.GetString(1))] = (reader.GetInt64(2), null);
                    }
                }

                state._rows = connection.CreateCommand();
                state._rows.CommandText = $"SELECT \"hlc\", \"origin\" FROM main.\"{CaptureSql.Rows}\" WHERE \"tbl\" = $t AND \"pk\" = $k";
                state._rows.Parameters.Add("$t", SqliteType.Text);
                state._rows.Parameters.Add("$k", SqliteType.Text);
            }
            catch (SqliteException ex)
            {
                state.Error = ex.Message;
            }

            return state;
        }

        /// <summary>The key's latest version when the upstream has it (pushed, or pulled from another machine); null when it never left here.</summary>
        public (long Hlc, string? Origin)? Upstream(string table, string key)
        {
            if (_rows is null)
            {
                return null;
            }

            (long Hlc, string? Origin) version;
            if (!_log.TryGetValue((table, key), out version))
            {
                _rows.Parameters[0].Value = table;
                _rows.Parameters[1].Value = key;
                using var reader = _rows.ExecuteReader();
                if (!reader.Read())
                {
                    return null;
                }

                version = (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1));
            }

            var pushed = _pushed.TryGetValue(table, out var p) ? p : 0;
            return version.Origin is not null || version.Hlc <= pushed ? version : null;
        }
    }
}

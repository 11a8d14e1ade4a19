using System.Globalization;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Sync.Upstream;

namespace Filix.Runtime.Sync.Engine;

/// <summary><c>filix status</c>: each shared table's local state, and with an upstream how far behind it is.</summary>
internal static class StatusReader
{
    private sealed record Local(string Table, long Pending, Cursors Cursors, List<ParkedRow> Parked);

    public static async Task<SyncStatus> ReadAsync(FilixDatabase database, SyncOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var tables = database.Schema.SyncTables;
        var local = await database.ReadAsync(static (session, tables) => tables.Select(t => Read(session, t)).ToList(), tables, cancellationToken).ConfigureAwait(false);
        var behind = new Dictionary<string, long>(StringComparer.Ordinal);
        string? warning = null;
        if (options is not null && tables.Count > 0)
        {
            var where = UpstreamTarget.Describe(options.Upstream);
            await using var connection = await UpstreamTarget.OpenAsync(options.Upstream, cancellationToken).ConfigureAwait(false);
            warning = await SchemaSkew.CheckAsync(connection, database.Schema, where, cancellationToken).ConfigureAwait(false);
            var installed = await UpstreamCommands.ScalarAsync(connection, "SELECT to_regclass($1) IS NOT NULL", cancellationToken,
                SqlNames.Quote(database.Schema.PostgresSchema) + ".\"" + UpstreamSql.Tombstones + "\"").ConfigureAwait(false) is true;
            foreach (var (table, state) in tables.Zip(local))
            {
                if (installed && options.Syncs(table))
                {
                    var sql = new UpstreamSql(table);
                    behind[table.Name] = Convert.ToInt64(await UpstreamCommands.ScalarAsync(connection, sql.Behind, cancellationToken,
                        state.Cursors.PulledXid.ToString(CultureInfo.InvariantCulture), options.MachineId).ConfigureAwait(false), CultureInfo.InvariantCulture);
                }
            }
        }

        return new SyncStatus(database.Schema.Domain, tables.Zip(local).Select(x => new TableSyncStatus(
            x.First.Name,
            options?.Syncs(x.First) ?? x.First.Mode == SyncMode.Sync,
            x.Second.Pending,
            Time(x.Second.Cursors.PushedAt),
            Time(x.Second.Cursors.PulledAt),
            behind.TryGetValue(x.First.Name, out var b) ? b : null,
            x.Second.Parked)).ToList())
        { Warning = warning };
    }

    private static Local Read(SqliteSession session, SyncTable table)
    {
        var cursors = LocalState.ReadCursors(session);
        var cursor = cursors.TryGetValue(table.Name, out var c) ? c : new Cursors(0, 0, null, null);
        using var command = session.Connection.CreateCommand();
        // Folded or still in the log: every capture counts (CaptureSql.Current).
        command.CommandText = "SELECT count(*) FROM (" + Filix.Runtime.Sync.Local.CaptureSql.Current + ") WHERE \"tbl\" = $t AND \"origin\" IS NULL AND \"hlc\" > $h";
        command.Parameters.AddWithValue("$t", table.Name);
        command.Parameters.AddWithValue("$h", cursor.PushedHlc);
        var pending = (long)command.ExecuteScalar()!;
        var parked = new List<ParkedRow>();
        command.CommandText = "SELECT \"pk\", \"direction\", \"reason\", \"since\", \"attempts\" FROM \"_filix_parked\" WHERE \"tbl\" = $t ORDER BY \"since\", \"pk\"";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            parked.Add(new ParkedRow(table.Name, reader.GetString(0), reader.GetString(1), reader.GetString(2), Time(reader.GetString(3))!.Value, reader.GetInt32(4)));
        }

        return new Local(table.Name, pending, cursor, parked);
    }

    private static DateTimeOffset? Time(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

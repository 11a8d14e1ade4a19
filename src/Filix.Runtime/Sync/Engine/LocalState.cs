using System.Globalization;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Sync.Upstream;
using Npgsql;

namespace Filix.Runtime.Sync.Engine;

/// <summary>A shared table's local cursors (<c>_filix_sync_tables</c>).</summary>
internal readonly record struct Cursors(long PushedHlc, ulong PulledXid, string? PushedAt, string? PulledAt);

/// <summary>The local bookkeeping sync reads and moves outside an apply: cursors and which upstream they belong to.</summary>
internal static class LocalState
{
    /// <summary>
    /// Cursors belong to one upstream (<c>_filix_sync_meta.upstream</c> = its system identifier and database): against
    /// another one (a restored or replaced server) they mean nothing, so they restart and every local row is pushed
    /// again (a no-op where the upstream already has it).
    /// </summary>
    public static async Task BindUpstreamAsync(SyncRun run, CancellationToken cancellationToken)
    {
        var identity = await IdentityAsync(run.Connection, cancellationToken).ConfigureAwait(false);
        var missing = await run.Database.ReadAsync(static (session, _) => session.Scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('_filix_rows', '_filix_sync_tables', '_filix_parked', '_filix_sync_meta', '_filix_applying')"),
            0, cancellationToken).ConfigureAwait(false);
        if (Convert.ToInt64(missing, CultureInfo.InvariantCulture) != 5)
        {
            throw new FilixException(
                $"'{run.Database.Path}' has no sync change capture (the _filix_rows bookkeeping tables are missing), so its changes cannot be pushed. " +
                "Open it once with this build of Filix (opening installs capture), then sync again.", run.Database.Path);
        }

        var known = await run.Database.ReadAsync(static (session, _) => (
                Upstream: session.Scalar("SELECT \"value\" FROM \"_filix_sync_meta\" WHERE \"key\" = 'upstream'") as string,
                Machine: session.Scalar("SELECT \"value\" FROM \"_filix_sync_meta\" WHERE \"key\" = 'machine'") as string),
            0, cancellationToken).ConfigureAwait(false);
        if (known.Upstream == identity && known.Machine == run.Machine)
        {
            return; // the usual case: no write
        }

        await run.Database.WriteAsync(static (session, state) =>
        {
            var current = session.Scalar("SELECT \"value\" FROM \"_filix_sync_meta\" WHERE \"key\" = 'upstream'") as string;
            if (current is not null && current != state.identity)
            {
                session.Execute("UPDATE \"_filix_sync_tables\" SET \"pushed_hlc\" = 0, \"pulled_xid\" = '0'");
            }

            Set(session, "upstream", state.identity);
            Set(session, "machine", state.machine);
            return 0;
        }, (identity, machine: run.Machine), cancellationToken).ConfigureAwait(false);
    }

    public static Task<Dictionary<string, Cursors>> ReadCursorsAsync(FilixDatabase database, CancellationToken cancellationToken) =>
        database.ReadAsync(static (session, _) => ReadCursors(session), 0, cancellationToken).AsTask();

    public static Dictionary<string, Cursors> ReadCursors(SqliteSession session)
    {
        var cursors = new Dictionary<string, Cursors>(StringComparer.Ordinal);
        using var command = session.Connection.CreateCommand();
        command.CommandText = "SELECT \"tbl\", \"pushed_hlc\", \"pulled_xid\", \"pushed_at\", \"pulled_at\" FROM \"_filix_sync_tables\"";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cursors[reader.GetString(0)] = new Cursors(
                reader.GetInt64(1),
                ulong.Parse(reader.GetString(2), CultureInfo.InvariantCulture),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4));
        }

        return cursors;
    }

    private static void Set(SqliteSession session, string key, string value)
    {
        using var command = session.Connection.CreateCommand();
        command.CommandText = "INSERT INTO \"_filix_sync_meta\" (\"key\", \"value\") VALUES ($k, $v) ON CONFLICT (\"key\") DO UPDATE SET \"value\" = excluded.\"value\"";
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
    }

    /// <summary>The cluster's system identifier and the database; a role without pg_control_system falls back to the
    /// server's address.</summary>
    private static async Task<string> IdentityAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return (string)(await UpstreamCommands.ScalarAsync(connection, "SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || current_database()", cancellationToken).ConfigureAwait(false))!;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return (string)(await UpstreamCommands.ScalarAsync(connection, "SELECT coalesce(host(inet_server_addr()), 'local') || ':' || inet_server_port() || '/' || current_database()", cancellationToken).ConfigureAwait(false))!;
        }
    }
}

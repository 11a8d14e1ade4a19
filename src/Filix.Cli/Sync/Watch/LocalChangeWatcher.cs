using Filix.Runtime.Sync;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Sync.Watch;

/// <summary>
/// Notices a commit to one database by any process (this one's writer, another filix, a Python script with its own
/// <c>sqlite3</c>) and asks for a push when it left local changes to push.
/// </summary>
/// <remarks>
/// <para>How: a dedicated connection reads <c>PRAGMA data_version</c> every <see cref="WatchSettings.LocalPoll"/>.
/// SQLite changes that number on a connection whenever another connection, in any process, has committed to the file
/// since the connection last looked; reading it costs a shared-memory read, no disk I/O and no lock (it never holds a
/// read transaction open, so it does not hold back checkpoints). A file-system watch would be cheaper when idle but
/// misses nothing only with care (a WAL commit changes only the -wal file, and not every platform reports it); the
/// poll is simple and exact.</para>
/// <para>A changed number is not yet a reason to push: the sync itself commits (pulled rows, the push cursor), and
/// pushing after each of those would run an empty push after every sync. So the change is checked against the
/// capture log: is there a row written here (<c>origin IS NULL</c>) above the push cursor of a table that syncs?
/// That query walks the <c>hlc</c> index from the cursor up, so it reads only the entries written since the last
/// push. If the capture tables are not there yet (a database created before sync) it answers "push", and the
/// engine's push installs what is missing.</para>
/// </remarks>
internal sealed class LocalChangeWatcher(string path, IReadOnlyList<SyncTable> tables, SyncOptions options)
{
    /// <summary>Polls until <paramref name="cancellationToken"/> is cancelled, calling <paramref name="changed"/>
    /// after each commit that left something to push. Throws what the connection throws (the caller logs and
    /// restarts it).</summary>
    public async Task RunAsync(TimeSpan poll, Action changed, CancellationToken cancellationToken)
    {
        var syncing = tables.Where(options.Syncs).Select(t => t.Name).ToList();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite, // ReadOnly needs the -shm to exist already; this connection never writes (query_only).
            Pooling = false,
            DefaultTimeout = 5,
        }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA query_only = 1; PRAGMA busy_timeout = 5000;";
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA data_version";
        version.Prepare();
        var seen = (long)(version.ExecuteScalar() ?? 0L);
        using var timer = new PeriodicTimer(poll);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = (long)(version.ExecuteScalar() ?? 0L);
            if (now != seen)
            {
                seen = now;
                if (HasPending(connection, syncing))
                {
                    changed();
                }
            }
        }
    }

    /// <summary>Whether some table in <paramref name="syncing"/> has a local change above its push cursor. The names are
    /// CaptureSql's (Filix.Runtime.Sync.Local, pinned by docs/sync.md); that class is internal to the runtime, and its
    /// InternalsVisibleTo names "Filix.Cli" while this assembly is "filix".</summary>
    internal static bool HasPending(SqliteConnection connection, IReadOnlyList<string> syncing)
    {
        if (syncing.Count == 0)
        {
            return false;
        }

        try
        {
            var cursors = new Dictionary<string, long>(StringComparer.Ordinal);
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT \"tbl\", \"pushed_hlc\" FROM \"_filix_sync_tables\"";
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    cursors[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            using var pending = connection.CreateCommand();
            // A capture not yet folded into _filix_rows sits in _filix_log (folded every CaptureSql.FoldEvery captures): it is a
            // pending local change too, or single writes would wait for the fold (measured with folds every 1,024: p50 17 s, bench watch).
            pending.CommandText =
                "SELECT 1 FROM \"_filix_rows\" INDEXED BY \"_filix_rows_hlc\" WHERE \"hlc\" > $cursor AND \"tbl\" = $tbl AND \"origin\" IS NULL " +
                "UNION ALL SELECT 1 FROM \"_filix_log\" WHERE \"tbl\" = $tbl LIMIT 1";
            var cursor = pending.Parameters.Add("$cursor", SqliteType.Integer);
            var table = pending.Parameters.Add("$tbl", SqliteType.Text);
            foreach (var name in syncing)
            {
                cursor.Value = cursors.GetValueOrDefault(name);
                table.Value = name;
                if (pending.ExecuteScalar() is not null)
                {
                    return true;
                }
            }

            return false;
        }
        catch (SqliteException)
        {
            // No capture tables yet (or a schema this build does not expect): let the push find out.
            return true;
        }
    }
}

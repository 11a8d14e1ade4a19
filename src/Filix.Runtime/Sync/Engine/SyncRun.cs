using System.Globalization;
using Filix.Runtime.Sync.Upstream;
using Npgsql;

namespace Filix.Runtime.Sync.Engine;

/// <summary>One table as a sync run moves it: its statements on each side and what the run did to it.</summary>
internal sealed class TableRun(SyncTable table)
{
    public SyncTable Table { get; } = table;

    public UpstreamSql Upstream { get; } = new(table);

    public LocalSql Local { get; } = new(table);

    public long Pushed { get; set; }

    public long Pulled { get; set; }

    public long Parked { get; set; }

    public bool Resynced { get; set; }

    /// <summary>The staging table exists on this run's connection (created in a transaction that committed): a push
    /// batch need not send its DDL again.</summary>
    public bool Staged { get; set; }

    /// <summary>This run may push the table straight into the upstream table (<see cref="PushDirect"/>): its first
    /// push here, until a batch meets a key upstream already has or a delete.</summary>
    public bool Direct { get; set; }

    /// <summary>Local versions a pulled delete's refusal re-versioned: the run pushes again.</summary>
    public long Revived { get; set; }
}

/// <summary>
/// One sync of one database: its open upstream connection, this machine, the tables that sync here (parents first)
/// and the counts the report gives back.
/// </summary>
internal sealed class SyncRun : IAsyncDisposable
{
    private SyncRun(FilixDatabase database, SyncOptions options, NpgsqlConnection connection, string where, List<TableRun> tables, List<SyncTable> skipped)
    {
        Database = database;
        Options = options;
        Connection = connection;
        Where = where;
        Tables = tables;
        Skipped = skipped;
    }

    public FilixDatabase Database { get; }

    public SyncOptions Options { get; }

    public NpgsqlConnection Connection { get; }

    /// <summary>The upstream as messages name it (no password).</summary>
    public string Where { get; }

    public string Machine => Options.MachineId;

    public List<TableRun> Tables { get; }

    public List<SyncTable> Skipped { get; }

    public string? Warning { get; private set; }

    public DatabaseSchema Schema => Database.Schema;

    public static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Connects, migrates the upstream and installs sync's bookkeeping on both sides.</summary>
    public static async Task<SyncRun> StartAsync(FilixDatabase database, SyncOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.MachineId))
        {
            throw new FilixException($"Syncing '{database.Path}' needs a machine id (SyncOptions.MachineId, from the data folder's filix.sync.json); none was given.", database.Path);
        }

        var where = UpstreamTarget.Describe(options.Upstream);
        var connection = await UpstreamTarget.OpenAsync(options.Upstream, cancellationToken).ConfigureAwait(false);
        var tables = database.Schema.SyncTables.Where(options.Syncs).Select(t => new TableRun(t)).ToList();
        var skipped = database.Schema.SyncTables.Where(t => !options.Syncs(t)).ToList();
        var run = new SyncRun(database, options, connection, where, tables, skipped);
        if (database.Schema.SyncTables.Count == 0)
        {
            // Local tables never leave the machine: nothing to migrate, install or bind upstream.
            return run;
        }

        try
        {
            // Every shared table is installed upstream, enabled here or not: another machine may enable it.
            var all = database.Schema.SyncTables.Select(t => new UpstreamSql(t)).ToList();
            run.Warning = await UpstreamInstall.EnsureAsync(connection, database.Schema, all, where, cancellationToken).ConfigureAwait(false);
            await LocalState.BindUpstreamAsync(run, cancellationToken).ConfigureAwait(false);
            return run;
        }
        catch (Exception ex)
        {
            if (ex is NpgsqlException || ex.InnerException is NpgsqlException)
            {
                NpgsqlConnection.ClearPool(connection);
            }

            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public SyncReport Report() =>
        new(Schema.Domain, Schema.SyncTables.Select(s => Tables.Find(t => t.Table == s) is { } t
                ? new TableSyncReport(s.Name, t.Pushed, t.Pulled, t.Parked, Skipped: false) { Resynced = t.Resynced }
                : new TableSyncReport(s.Name, 0, 0, 0, Skipped: true))
            .ToList())
        { Warning = Warning };

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

using Filix.Runtime;
using Filix.Runtime.Sync;
using Filix.Runtime.Sync.Local;
using Filix.Testing;
using Microsoft.Data.Sqlite;

namespace Filix.Sync.Tests.Machines;

/// <summary>One domain database open on a machine: the generated database (repositories), the runtime handle sync
/// takes, a raw connection of its own (another tool writing the same file), and the models of its shared tables.</summary>
internal sealed class OpenDomain(Domain domain, object typed, FilixDatabase database, SqliteConnection raw, IReadOnlyList<TableModel> tables)
{
    public Domain Domain { get; } = domain;

    public object Typed { get; } = typed;

    public FilixDatabase Database { get; } = database;

    /// <summary>A plain SQLite connection on the same file, as a script or the sqlite3 shell would hold one.</summary>
    public SqliteConnection Raw { get; } = raw;

    public IReadOnlyList<TableModel> Tables { get; } = tables;
}

/// <summary>
/// A machine: its own data folder (the domain databases) and machine id, syncing with the shared upstream. Every
/// machine of a test lives in this process; a machine's sync may also run in a child process
/// (<see cref="SyncWorker"/>) that the test kills.
/// </summary>
internal sealed class Machine : IAsyncDisposable
{
    /// <summary>Sharing the writer between processes is off, so a killed child never owned anything the test uses.</summary>
    public static readonly FilixOptions Options = new() { ShareWriter = false, BusyTimeout = TimeSpan.FromSeconds(60) };

    private readonly TempDirectory _folder;
    private readonly Dictionary<string, OpenDomain> _open = new(StringComparer.Ordinal);

    private Machine(int index, string id, TempDirectory folder, IReadOnlyList<Domain> domains)
    {
        Index = index;
        Id = id;
        _folder = folder;
        Domains = domains;
    }

    public int Index { get; }

    /// <summary>The machine id (<c>synced_from</c> upstream, the last tiebreak of last-write-wins).</summary>
    public string Id { get; }

    public string Folder => _folder.Path;

    public IReadOnlyList<Domain> Domains { get; }

    /// <summary>The optional domains or tables enabled here (<c>filix sync enable music</c>).</summary>
    public HashSet<string> Enabled { get; } = new(StringComparer.Ordinal);

    public IReadOnlyCollection<OpenDomain> Open => _open.Values;

    public OpenDomain this[string domain] => _open[domain];

    public override string ToString() => $"machine {Index} ({Id}, {Folder})";

    public static async Task<Machine> CreateAsync(int index, string id, IReadOnlyList<Domain> domains)
    {
        var machine = new Machine(index, id, TempDirectory.Create($"machine{index}"), domains);
        await machine.OpenAllAsync();
        return machine;
    }

    /// <summary>Opens every domain database (creating it on first use).</summary>
    public async Task OpenAllAsync()
    {
        foreach (var domain in Domains)
        {
            var (typed, database) = await domain.Open(Folder, Options);
            var raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.Path, Pooling = false, DefaultTimeout = 60 }.ToString());
            raw.Open();
            using (var pragma = raw.CreateCommand())
            {
                pragma.CommandText = "PRAGMA busy_timeout = 60000; PRAGMA foreign_keys = ON";
                pragma.ExecuteNonQuery();
            }

            _open[domain.Name] = new OpenDomain(domain, typed, database, raw, TableModel.Load(domain, raw));
        }
    }

    /// <summary>Closes every database (a child process is about to sync this data folder).</summary>
    public async Task CloseAllAsync()
    {
        foreach (var open in _open.Values)
        {
            open.Raw.Dispose();
            await open.Database.DisposeAsync();
        }

        _open.Clear();
    }

    public SyncOptions SyncOptions(string upstream, int batchSize) => new()
    {
        Upstream = upstream,
        MachineId = Id,
        Enabled = new HashSet<string>(Enabled, StringComparer.Ordinal),
        BatchSize = batchSize,
    };

    /// <summary>One <c>filix sync</c> of this machine: every domain, in order.</summary>
    public async Task<IReadOnlyList<SyncReport>> SyncAsync(string upstream, int batchSize, SyncStep step = SyncStep.Both, CancellationToken cancellationToken = default)
    {
        var reports = new List<SyncReport>();
        var options = SyncOptions(upstream, batchSize);
        foreach (var open in _open.Values)
        {
            reports.Add(step switch
            {
                SyncStep.Push => await FilixSync.PushAsync(open.Database, options, cancellationToken),
                SyncStep.Pull => await FilixSync.PullAsync(open.Database, options, cancellationToken),
                _ => await FilixSync.SyncAsync(open.Database, options, cancellationToken),
            });
        }

        return reports;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAllAsync();
        _folder.Dispose();
    }
}

internal enum SyncStep
{
    Both,
    Push,
    Pull,
}

/// <summary>Capture's view of each key's latest local change: <c>_filix_rows</c> with the not yet folded
/// <c>_filix_log</c> on top (<see cref="CaptureSql.Current"/>), as a subquery the harness reads instead of the table.</summary>
internal static class CaptureView
{
    public const string Current = "(" + CaptureSql.Current + ")";
}

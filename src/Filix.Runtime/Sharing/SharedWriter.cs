using System.Security.Cryptography;
using System.Text;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>
/// Routes this process's statement writes to the one writer the machine's processes share for a database. The first
/// process to open the database owns it (an exclusive <c>flock</c> on <c>&lt;db&gt;-filix.owner</c>, held until it
/// closes) and serves the others on a Unix socket (<see cref="WriterHost"/>); the others send their writes there
/// (<see cref="WriterClient"/>). With no owner reachable a write goes to this process's own writer, whose
/// cross-process lock handoff keeps it correct, and a background loop takes over or reconnects. Writes left in doubt
/// by an owner that died are resolved through the next route (<c>SharedWriter.InDoubt.cs</c>).
/// </summary>
internal sealed partial class SharedWriter
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    private readonly Writer _local;
    private readonly string _databasePath;
    private readonly string _socketPath;
    private readonly int _capacity;
    private readonly WriteLock _ownerLock;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<StatementWrite, CancellationToken, Task<int>> _executeLocally;
    private readonly object _gate = new();
    private readonly TaskSet _tasks = new();
    private Task _maintaining;
    private volatile SharingFaults? _faults;
    private WriterHost? _host;
    private OutcomeLedger? _ledger; // set once this process holds the owner lock
    private volatile WriterClient? _client;

    private SharedWriter(Writer local, string databasePath, WriteLock ownerLock, FilixOptions options)
    {
        _local = local;
        _databasePath = databasePath;
        _socketPath = SocketPathFor(databasePath);
        _capacity = options.WriteQueueCapacity;
        _ownerLock = ownerLock;
        _executeLocally = ExecuteLocally;

        // The first attempt runs now, so the first writes after open already take the shared path. Opening runs on a
        // pool thread (FilixDatabase.OpenAsync), and the attempt is bounded by the handshake timeout.
        _maintaining = TryTakeRoleSafelyAsync().GetAwaiter().GetResult() ? Task.CompletedTask : Task.Run(MaintainAsync);
    }

    /// <summary>Shares <paramref name="local"/>'s database with the other processes, or returns null where Unix
    /// sockets and flock are not available (Windows: every process keeps its own writer).</summary>
    public static SharedWriter? Start(Writer local, string databasePath, FilixOptions options)
    {
        if (!options.ShareWriter || WriteLock.OpenFile(DatabaseFile.OwnerFile(databasePath), databasePath) is not { } ownerLock)
        {
            return null;
        }

        return new SharedWriter(local, databasePath, ownerLock, options);
    }

    /// <summary>Where the owner listens: beside the database when the path fits a socket address (108 bytes on
    /// Linux, 104 on macOS), else in the temp folder under a hash of the database's full path.</summary>
    public static string SocketPathFor(string databasePath)
    {
        var beside = DatabaseFile.SocketFile(databasePath);
        if (Encoding.UTF8.GetByteCount(beside) < 100)
        {
            return beside;
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(databasePath)))[..24].ToLowerInvariant();
        return Path.Combine(Path.GetTempPath(), $"filix-{hash}.sock");
    }

    /// <summary>True while this process owns the shared writer.</summary>
    public bool IsOwner => _host is not null;

    /// <summary>The owner's side of the socket (tests reach its connections through it).</summary>
    internal WriterHost? Host => _host;

    /// <summary>Why this process owns the writer but could not serve the others; null when it can (or is not the owner).</summary>
    public string? HostError { get; private set; }

    /// <summary>Processes connected to this one's writer (0 unless this process is the owner).</summary>
    public int HostClientCount => _host?.ClientCount ?? 0;

    /// <summary>The last unforeseen error taking a role (a bug; the attempts go on): for diagnostics and tests.</summary>
    public Exception? RoleError { get; private set; }

    /// <summary>An exception that escaped one of this writer's background tasks (a bug: tests assert none does).</summary>
    internal Exception? BackgroundFault => _tasks.Fault;

    /// <summary>Test faults injected into this opener's loops, its owner connections and its client connection
    /// (including those made later); null in production.</summary>
    internal SharingFaults? Faults
    {
        get => _faults;
        set
        {
            _faults = value;
            if (_host is { } host)
            {
                host.Faults = value;
            }

            if (_client is { } client)
            {
                client.Faults = value;
            }
        }
    }

    /// <summary>True while this process sends its writes to another process.</summary>
    public bool IsClient => _client is not null;

    public Task<int> ExecuteAsync(StatementWrite write, CancellationToken cancellationToken) =>
        _client is { } client ? client.SendAsync(write, cancellationToken) : ExecuteLocally(write, cancellationToken);

    private Task<int> ExecuteLocally(StatementWrite write, CancellationToken cancellationToken) =>
        _local.ExecuteAsync(static (session, write) => write.Execute(session), write, cancellationToken);

    /// <summary>Becomes the owner if no process is, else connects to the owner. False when neither worked yet.</summary>
    private async Task<bool> TryTakeRoleAsync()
    {
        // Under the gate so that closing never misses a role taken at the same moment; taking the lock and binding
        // the socket do not wait on anyone.
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return true;
            }

            if (_ownerLock.TryAcquire())
            {
                BecomeOwnerLocked();
                return true;
            }
        }

        // Outside the gate: connecting and the handshake wait on another process (up to the handshake timeout), and a
        // connection's end (WatchAsync) and closing (StopAsync) need the gate meanwhile. StopAsync waits for this
        // attempt before it looks at _client, so a client made while it began closing is still closed.
        var client = await WriterClient.TryConnectAsync(_socketPath, _databasePath, _capacity, _executeLocally, _faults).ConfigureAwait(false);
        if (client is null)
        {
            return false;
        }

        lock (_gate)
        {
            _client = client;
            _tasks.Start(() => WatchAsync(client));
            ResolveInDoubtLocked();
        }

        return true;
    }

    /// <summary><see cref="TryTakeRoleAsync"/>, where an unforeseen error counts as "no route yet": the caller retries,
    /// and writes go to this process's own writer meanwhile.</summary>
    private async Task<bool> TryTakeRoleSafelyAsync()
    {
        try
        {
            return await TryTakeRoleAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RoleError = ex;
            return false;
        }
    }

    private void BecomeOwnerLocked()
    {
        // From the next batch on, the outcome of every remote write commits with it.
        _ledger ??= new OutcomeLedger(_local);
        _local.Participant = _ledger;
        try
        {
            _host = WriterHost.Start(_socketPath, _local, _ledger);
            _host.Faults = _faults;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
        {
            // No socket here (a read-only folder, a file system without sockets): this process keeps the lock
            // so no other tries either, and every process writes through its own writer, as with sharing off.
            HostError = $"Cannot listen on '{_socketPath}' ({ex.Message}), so the processes writing '{_databasePath}' each use their own writer (slower under many writers, equally safe). Remove whatever occupies that path, or make its folder writable.";
        }

        ResolveInDoubtLocked();
    }

    /// <summary>Until this process owns the writer or reaches the owner: retry, backing off. An owner that is
    /// starting has taken the lock but not yet bound its socket; one that just closed has not yet released it.</summary>
    private async Task MaintainAsync()
    {
        var delay = TimeSpan.FromMilliseconds(1);
        while (!_stopping.IsCancellationRequested)
        {
            if (await TryTakeRoleSafelyAsync().ConfigureAwait(false))
            {
                return;
            }

            FailInDoubtIfTooLong();

            try
            {
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Waits for the client connection to end, then parks its writes in doubt and looks for the next route.</summary>
    private async Task WatchAsync(WriterClient client)
    {
        var inDoubt = await client.Closed.ConfigureAwait(false); // never faults
        lock (_gate)
        {
            try
            {
                if (_client == client)
                {
                    _client = null;
                }

                foreach (var write in inDoubt)
                {
                    ParkLocked(write);
                }
            }
            finally
            {
                // Whatever failed above, the search for the next route starts: parked writes wait on it.
                if (!_stopping.IsCancellationRequested)
                {
                    _maintaining = Task.Run(MaintainAsync);
                }
            }
        }
    }

    /// <summary>Closing, step 1 (before the local writer drains): a client delivers its queued writes and waits for
    /// their outcomes; an owner takes every client's last writes into its queue and answers them.</summary>
    public async Task StopAsync()
    {
        Task maintaining;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return; // closing twice
            }

            _stopping.Cancel();
            maintaining = _maintaining;
        }

        await maintaining.ConfigureAwait(false); // never faults: its attempts catch everything
        if (_client is { } client)
        {
            await client.CloseAsync().ConfigureAwait(false);
        }

        if (_host is { } host)
        {
            await host.CloseAsync().ConfigureAwait(false);
        }

        await _tasks.WhenAllAsync().ConfigureAwait(false);
        FailInDoubt("was in flight when the process owning its writer went away, and this database closed before it could ask the next owner");
    }

    /// <summary>Closing, step 2 (after the local writer drained): an owner lets the next process take over.</summary>
    public Task FinishAsync()
    {
        _host = null;
        _ownerLock.Dispose();
        return Task.CompletedTask;
    }
}

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
    private Task _maintaining;
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

        // The first attempt runs now, so the first writes after open already take the shared path.
        _maintaining = TryTakeRole() ? Task.CompletedTask : Task.Run(MaintainAsync);
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

    /// <summary>True while this process sends its writes to another process.</summary>
    public bool IsClient => _client is not null;

    public Task<int> ExecuteAsync(StatementWrite write, CancellationToken cancellationToken) =>
        _client is { } client ? client.SendAsync(write, cancellationToken) : ExecuteLocally(write, cancellationToken);

    private Task<int> ExecuteLocally(StatementWrite write, CancellationToken cancellationToken) =>
        _local.ExecuteAsync(static (session, write) => write.Execute(session), write, cancellationToken);

    /// <summary>Becomes the owner if no process is, else connects to the owner. False when neither worked yet.</summary>
    private bool TryTakeRole()
    {
        // Under the gate so that closing never misses a role taken at the same moment.
        lock (_gate)
        {
            return _stopping.IsCancellationRequested || TryTakeRoleLocked();
        }
    }

    private bool TryTakeRoleLocked()
    {
        if (_ownerLock.TryAcquire())
        {
            // From the next batch on, the outcome of every remote write commits with it.
            _ledger = new OutcomeLedger(_local);
            _local.Participant = _ledger;
            try
            {
                _host = WriterHost.Start(_socketPath, _local, _ledger);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
            {
                // No socket here (a read-only folder, a file system without sockets): this process keeps the lock
                // so no other tries either, and every process writes through its own writer, as with sharing off.
                HostError = $"Cannot listen on '{_socketPath}' ({ex.Message}), so the processes writing '{_databasePath}' each use their own writer (slower under many writers, equally safe). Remove whatever occupies that path, or make its folder writable.";
            }

            ResolveInDoubtLocked();
            return true;
        }

        var client = WriterClient.TryConnect(_socketPath, _databasePath, _capacity, _executeLocally);
        if (client is null)
        {
            return false;
        }

        _client = client;
        _ = client.Closed.ContinueWith(closed => OnClientClosed(closed.Result), TaskScheduler.Default);
        ResolveInDoubtLocked();
        return true;
    }

    /// <summary>Until this process owns the writer or reaches the owner: retry, backing off. An owner that is
    /// starting has taken the lock but not yet bound its socket; one that just closed has not yet released it.</summary>
    private async Task MaintainAsync()
    {
        var delay = TimeSpan.FromMilliseconds(1);
        while (!_stopping.IsCancellationRequested)
        {
            if (TryTakeRole())
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

    private void OnClientClosed(List<ClientWrite> inDoubt)
    {
        lock (_gate)
        {
            _client = null;
            foreach (var write in inDoubt)
            {
                ParkLocked(write);
            }

            if (!_stopping.IsCancellationRequested)
            {
                _maintaining = Task.Run(MaintainAsync);
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

        await maintaining.ConfigureAwait(false);
        if (_client is { } client)
        {
            await client.CloseAsync().ConfigureAwait(false);
        }

        if (_host is { } host)
        {
            await host.CloseAsync().ConfigureAwait(false);
        }

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

using System.Collections.Concurrent;
using System.Net.Sockets;
using Filix.Runtime.Sharing.Protocol;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>
/// The owner side of a shared writer: listens on the database's Unix socket and feeds every client's writes into
/// this process's writer, so all processes on the machine commit through one writer thread and one transaction
/// stream (no lock handoffs between processes).
/// </summary>
/// <remarks>Its loops fail safe: the accept loop survives any error but closing (backing off), each admission is a
/// tracked task that never leaves a half-open connection, and <see cref="CloseAsync"/> waits for all of them.</remarks>
internal sealed class WriterHost
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxAcceptDelay = TimeSpan.FromSeconds(1);

    private readonly Socket _listener;
    private readonly Writer _writer;
    private readonly OutcomeLedger _ledger;
    private readonly string _socketPath;
    private readonly List<HostConnection> _connections = [];
    private readonly ConcurrentDictionary<long, HostConnection> _byClient = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskSet _admissions = new();
    private readonly Task _accepting;
    private volatile SharingFaults? _faults;
    private bool _closing;
    private int _acceptFailures;

    private WriterHost(Socket listener, Writer writer, OutcomeLedger ledger, string socketPath)
    {
        _listener = listener;
        _writer = writer;
        _ledger = ledger;
        _socketPath = socketPath;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Binds the socket. Call only while holding the owner lock: a stale socket file of a dead owner is
    /// removed first, and only the lock holder may do that.</summary>
    public static WriterHost Start(string socketPath, Writer writer, OutcomeLedger ledger)
    {
        File.Delete(socketPath);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new WriterHost(listener, writer, ledger, socketPath);
    }

    /// <summary>Test faults (null in production); read by every connection at each use.</summary>
    public SharingFaults? Faults
    {
        get => _faults;
        set => _faults = value;
    }

    /// <summary>Accepts that failed while not closing (a resource limit, a bug); the loop went on after each.</summary>
    public int AcceptFailures => Volatile.Read(ref _acceptFailures);

    /// <summary>An exception that escaped an admission (a bug: tests assert none does).</summary>
    public Exception? AdmissionFault => _admissions.Fault;

    /// <summary>Clients connected now (tests and metrics).</summary>
    public int ClientCount
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>The connections open now (tests act on one through <see cref="Faults"/>).</summary>
    internal HostConnection[] Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        var delay = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            Socket socket;
            try
            {
                _faults?.BeforeAccept();
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return; // closing
            }
            catch (Exception)
            {
                // Not closing: too many open files, or a bug. Giving up would leave this process holding the owner lock
                // with nobody served and every client waiting out its handshake: back off and accept again.
                Interlocked.Increment(ref _acceptFailures);
                try
                {
                    await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxAcceptDelay.Ticks));
                continue;
            }

            delay = TimeSpan.FromMilliseconds(1);
            _admissions.Start(() => AdmitAsync(socket));
        }
    }

    /// <summary>Completes once every write of the connection with this client id (if it is one of this owner's and
    /// still open or draining) has its outcome: a retry of its writes must not run before that.</summary>
    public Task AnsweredAsync(long clientId) => _byClient.TryGetValue(clientId, out var connection) ? connection.Answered : Task.CompletedTask;

    private async Task AdmitAsync(Socket socket)
    {
        HostConnection? connection = null;
        try
        {
            connection = await HandshakeAsync(socket).ConfigureAwait(false);
            if (connection is null)
            {
                return;
            }

            // The client said it is done (or hung up, or broke the protocol): answer every write it sent, then hang up.
            await connection.Answered.ConfigureAwait(false);
            lock (_connections)
            {
                if (_closing)
                {
                    return; // CloseAsync finishes it
                }

                _connections.Remove(connection);
            }

            await FinishAsync(connection).ConfigureAwait(false);
            await _ledger.EndAsync(connection).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug while admitting or finishing: never leave the connection half open. Its client sees the hang-up and
            // resolves its writes through its next route (this owner answers a retry once the old writes have outcomes).
            if (connection is null)
            {
                socket.Dispose();
            }
            else
            {
                connection.Break(ex);
            }

            throw; // kept by the task set (AdmissionFault)
        }
    }

    /// <summary>Reads the hello and answers the welcome; the registered connection, or null when refused.</summary>
    private async Task<HostConnection?> HandshakeAsync(Socket socket)
    {
        var receiver = new FrameReceiver(socket);
        HelloFrame hello;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(HandshakeTimeout);
            var (received, kind, payload) = await receiver.NextAsync(timeout.Token).ConfigureAwait(false);
            if (!received || kind != FrameKind.Hello)
            {
                throw new InvalidDataException("Not a Filix client: its first frame is not a hello.");
            }

            hello = HelloFrame.Read(payload.Span);
            if (hello.Version != WireProtocol.Version || _byClient.ContainsKey(hello.Client))
            {
                // Another version (the client writes through its own writer), or a client id already connected
                // (the client draws another and retries): hang up without a welcome.
                socket.Dispose();
                return null;
            }

            var welcome = new FrameWriter(16);
            new WelcomeFrame(WireProtocol.Version).Write(welcome);
            await socket.SendAsync(welcome.Written, SocketFlags.None, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or InvalidDataException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }

        lock (_connections)
        {
            if (_closing || _byClient.ContainsKey(hello.Client))
            {
                socket.Dispose();
                return null;
            }

            // The receiver may already hold frames a client sent right behind its hello: the connection reads on from it.
            var connection = new HostConnection(socket, receiver, hello.Client, _writer, this, _ledger);
            _byClient[hello.Client] = connection;
            _ledger.Register(connection);
            _connections.Add(connection);
            return connection;
        }
    }

    private async Task FinishAsync(HostConnection connection)
    {
        await connection.FinishAsync().ConfigureAwait(false);
        _byClient.TryRemove(connection.ClientId, out _);
    }

    /// <summary>
    /// Closing, before this process's writer drains: stops accepting, asks every client to stop sending and waits
    /// (briefly) until each has sent its last write, waits for every outcome, sends them, hangs up, and deletes the
    /// records of the replies delivered. The writer stays open meanwhile: it is what decides those outcomes.
    /// </summary>
    public async Task CloseAsync()
    {
        HostConnection[] connections;
        lock (_connections)
        {
            _closing = true;
            connections = [.. _connections];
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        TryDelete(_socketPath);
        await _accepting.ConfigureAwait(false); // never faults
        foreach (var connection in connections)
        {
            connection.RequestClose();
        }

        var all = Task.WhenAll(connections.Select(c => c.Receiving));
        if (await Task.WhenAny(all, Task.Delay(CloseTimeout)).ConfigureAwait(false) != all)
        {
            // A client that does not answer: what it has not sent by now is its to retry elsewhere.
            foreach (var connection in connections)
            {
                connection.StopReading();
            }

            await all.ConfigureAwait(false);
        }

        await Task.WhenAll(connections.Select(c => c.Answered)).ConfigureAwait(false);
        await Task.WhenAll(connections.Select(FinishAsync)).ConfigureAwait(false);
        foreach (var connection in connections)
        {
            connection.Ended = true;
        }

        await _ledger.PruneNowAsync().ConfigureAwait(false);
        await _admissions.WhenAllAsync().ConfigureAwait(false); // each returns at once now (_closing)
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A socket file left behind is harmless: the next owner deletes it before binding.
        }
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>
/// The owner side of a shared writer: listens on the database's Unix socket and feeds every client's writes into
/// this process's writer, so all processes on the machine commit through one writer thread and one transaction
/// stream (no lock handoffs between processes).
/// </summary>
internal sealed class WriterHost
{
    /// <summary>Bumped on any change of <see cref="FrameKind"/>'s layouts; a mismatched client falls back to its own writer.</summary>
    public const int Protocol = 2;

    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly Writer _writer;
    private readonly OutcomeLedger _ledger;
    private readonly string _socketPath;
    private readonly List<HostConnection> _connections = [];
    private readonly ConcurrentDictionary<long, HostConnection> _byClient = new();
    private readonly Task _accepting;
    private bool _closing;

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

    /// <summary>The connections open now (tests act on one through its hooks).</summary>
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
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return; // closing
            }

            _ = AdmitAsync(socket);
        }
    }

    /// <summary>Completes once every write of the connection with this client id (if it is one of this owner's and
    /// still open or draining) has its outcome: a retry of its writes must not run before that.</summary>
    public Task AnsweredAsync(long clientId) => _byClient.TryGetValue(clientId, out var connection) ? connection.Answered : Task.CompletedTask;

    private async Task AdmitAsync(Socket socket)
    {
        long clientId;
        var receiver = new FrameReceiver(socket);
        try
        {
            using var timeout = new CancellationTokenSource(HandshakeTimeout);
            FrameKind kind;
            ReadOnlyMemory<byte> payload;
            while (!receiver.TryNext(out kind, out payload))
            {
                if (!await receiver.FillAsync(timeout.Token).ConfigureAwait(false))
                {
                    throw new InvalidDataException("The client hung up before its hello.");
                }
            }

            if (kind != FrameKind.Hello || !Hello(payload.Span, out clientId))
            {
                throw new InvalidDataException("Not a Filix client of this protocol.");
            }

            if (_byClient.ContainsKey(clientId))
            {
                throw new InvalidDataException("A client id already connected (the client draws another and retries).");
            }

            var welcome = new FrameWriter(new ArrayBufferWriter<byte>(16));
            welcome.Begin(FrameKind.Welcome).Int32(Protocol).End();
            await socket.SendAsync(welcome.Buffer.WrittenMemory, SocketFlags.None, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or InvalidDataException or OperationCanceledException)
        {
            socket.Dispose();
            return;
        }

        HostConnection connection;
        lock (_connections)
        {
            if (_closing || !_byClient.TryAdd(clientId, connection = new HostConnection(socket, receiver, clientId, _writer, this, _ledger)))
            {
                socket.Dispose();
                return;
            }

            _ledger.Register(connection);
            _connections.Add(connection);
        }

        // The client said it is done (or hung up): answer every write it sent, then hang up.
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

    private async Task FinishAsync(HostConnection connection)
    {
        await connection.FinishAsync().ConfigureAwait(false);
        _byClient.TryRemove(connection.ClientId, out _);
    }

    private static bool Hello(ReadOnlySpan<byte> payload, out long clientId)
    {
        var reader = new FrameReader(payload);
        var protocol = reader.Int32();
        clientId = protocol == Protocol ? reader.Int64() : 0;
        return protocol == Protocol;
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

        _listener.Dispose();
        TryDelete(_socketPath);
        await _accepting.ConfigureAwait(false);
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
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A socket file left behind is harmless: the next owner deletes it before binding.
        }
    }
}

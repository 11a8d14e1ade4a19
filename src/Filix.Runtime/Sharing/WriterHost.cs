using System.Buffers;
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
    public const int Protocol = 1;

    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly Writer _writer;
    private readonly string _socketPath;
    private readonly List<HostConnection> _connections = [];
    private readonly Task _accepting;
    private bool _closing;

    private WriterHost(Socket listener, Writer writer, string socketPath)
    {
        _listener = listener;
        _writer = writer;
        _socketPath = socketPath;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Binds the socket. Call only while holding the owner lock: a stale socket file of a dead owner is
    /// removed first, and only the lock holder may do that.</summary>
    public static WriterHost Start(string socketPath, Writer writer)
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

        return new WriterHost(listener, writer, socketPath);
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

    private async Task AdmitAsync(Socket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(HandshakeTimeout);
            // The client waits for the welcome before sending anything else, so the hello is all there is to read.
            var receiver = new FrameReceiver(socket);
            FrameKind kind;
            ReadOnlyMemory<byte> payload;
            while (!receiver.TryNext(out kind, out payload))
            {
                if (!await receiver.FillAsync(timeout.Token).ConfigureAwait(false))
                {
                    throw new InvalidDataException("The client hung up before its hello.");
                }
            }

            if (kind != FrameKind.Hello || Hello(payload.Span) != Protocol)
            {
                throw new InvalidDataException("Not a Filix client of this protocol.");
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

        var connection = new HostConnection(socket, _writer);
        lock (_connections)
        {
            if (_closing)
            {
                socket.Dispose();
                return;
            }

            _connections.Add(connection);
        }

        // The client said it is done (or hung up): answer every write it sent, then hang up.
        await connection.Answered.ConfigureAwait(false);
        lock (_connections)
        {
            if (_closing)
            {
                return; // CloseAsync finishes it after the writer has drained
            }

            _connections.Remove(connection);
        }

        await connection.FinishAsync().ConfigureAwait(false);
    }

    private static int Hello(ReadOnlySpan<byte> payload) => new FrameReader(payload).Int32();

    /// <summary>
    /// First step of closing: stops accepting, asks every client to stop sending and waits (briefly) until each has
    /// sent its last write, so every write a client sent is in the writer's queue before the writer drains.
    /// </summary>
    public async Task StopReceivingAsync()
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
    }

    /// <summary>Last step of closing, after the writer drained: sends the outcomes still queued and hangs up.</summary>
    public async Task FinishAsync()
    {
        HostConnection[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
            _connections.Clear();
        }

        await Task.WhenAll(connections.Select(c => c.FinishAsync())).ConfigureAwait(false);
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

using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Filix.Runtime.Sharing.Protocol;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>
/// A process's connection to the process that owns a database's writer. Writes queue here, are sent many per system
/// call, and complete when the owner reports their batch committed. A write never sent (the owner is closing or
/// gone) is handed back to this process's own writer; a write sent and not answered is handed to the next route
/// in doubt (<see cref="Closed"/>), which asks the owner's records what became of it.
/// </summary>
/// <remarks>
/// Both loops fail safe (house style, after Npgsql's connector): whatever ends them (a hang-up, a frame that does
/// not parse, a bug) ends in <see cref="BreakAsync"/>, whose <c>finally</c> completes <see cref="Closed"/>, so
/// <see cref="CloseAsync"/> and the shared writer waiting on it always return and every write gets an answer.
/// </remarks>
internal sealed partial class WriterClient
{
    /// <summary>Connect, hello and welcome must all happen within this, or the owner counts as unreachable.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>As long as writes in doubt wait for an owner to ask: past it, an owner that does not answer is gone.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly FrameReceiver _receiver;
    private readonly string _databasePath;
    private readonly Func<StatementWrite, CancellationToken, Task<int>> _fallback;
    private readonly Channel<ClientWrite> _outgoing;
    private readonly ConcurrentDictionary<long, ClientWrite> _pending = new();
    private readonly Dictionary<string, int> _statements = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<List<ClientWrite>> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _sending;
    private readonly Task _receiving;
    private long _statementBytes;
    private long _nextRequest;
    private volatile bool _broken;
    private volatile SharingFaults? _faults;

    private WriterClient(Socket socket, FrameReceiver receiver, long clientId, string databasePath, int capacity, Func<StatementWrite, CancellationToken, Task<int>> fallback, SharingFaults? faults)
    {
        _socket = socket;
        _receiver = receiver;
        ClientId = clientId;
        _databasePath = databasePath;
        _fallback = fallback;
        _faults = faults;
        _outgoing = Channel.CreateBounded<ClientWrite>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false, // Break takes what the sender did not
        });
        _sending = Task.Run(SendLoopAsync);
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>This connection's random id: the owner records the outcomes of its writes under it.</summary>
    public long ClientId { get; }

    /// <summary>Completes when the connection is over, with the writes it leaves in doubt (sent and not answered, in
    /// the order they were sent); every other write it took has an outcome or went back to <c>fallback</c>. Never
    /// faults.</summary>
    public Task<List<ClientWrite>> Closed => _closed.Task;

    /// <summary>Test faults (null in production).</summary>
    public SharingFaults? Faults
    {
        get => _faults;
        set => _faults = value;
    }

    /// <summary>Connects and shakes hands within <see cref="HandshakeTimeout"/>; null when no owner answers (none yet,
    /// it just went away, it speaks another version, or it holds the lock without accepting).</summary>
    public static async Task<WriterClient?> TryConnectAsync(
        string socketPath, string databasePath, int capacity, Func<StatementWrite, CancellationToken, Task<int>> fallback, SharingFaults? faults)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var clientId = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
        try
        {
            // A connect blocks while the owner's backlog is full (an owner that stopped accepting): bounded too.
            using var timeout = new CancellationTokenSource(HandshakeTimeout);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token).ConfigureAwait(false);
            var hello = new FrameWriter(32);
            new HelloFrame(WireProtocol.Version, clientId).Write(hello);
            await socket.SendAsync(hello.Written, SocketFlags.None, timeout.Token).ConfigureAwait(false);

            // The receiver goes on to the connection: frames the owner sends right after the welcome (Closing) stay in it.
            var receiver = new FrameReceiver(socket);
            var (received, kind, payload) = await receiver.NextAsync(timeout.Token).ConfigureAwait(false);
            if (!received || kind != FrameKind.Welcome || WelcomeFrame.Read(payload.Span).Version != WireProtocol.Version)
            {
                socket.Dispose(); // the owner refused this version (it hangs up), or is not a Filix owner
                return null;
            }

            return new WriterClient(socket, receiver, clientId, databasePath, capacity, fallback, faults);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or InvalidDataException)
        {
            socket.Dispose();
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Queues <paramref name="write"/> for the owner. Once this connection takes no more writes (the owner
    /// is closing or gone), or when the write would not fit in a frame, it goes to this process's own writer.</summary>
    public Task<int> SendAsync(StatementWrite write, CancellationToken cancellationToken)
    {
        if (!WriteFrame.Fits(write.Values))
        {
            return _fallback(write, cancellationToken); // larger than any frame the owner accepts
        }

        var queued = new ClientWrite(write, cancellationToken);
        if (!_outgoing.Writer.TryWrite(queued))
        {
            return SendSlowAsync(queued, cancellationToken);
        }

        return queued.Task;
    }

    private async Task<int> SendSlowAsync(ClientWrite queued, CancellationToken cancellationToken)
    {
        try
        {
            // Backpressure: the owner is behind; wait for room as a local write would.
            await _outgoing.Writer.WriteAsync(queued, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            queued.Reroute(_fallback);
        }

        return await queued.Task.ConfigureAwait(false);
    }

    /// <summary>Queues a write in doubt (see <see cref="Closed"/>) to be retried here; false when this connection
    /// takes no more writes (it is closing or broken), and the caller must find another route.</summary>
    public async Task<bool> ResendAsync(ClientWrite write)
    {
        try
        {
            await _outgoing.Writer.WriteAsync(write).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>Stops taking writes, sends those queued, waits for their outcomes and hangs up. An owner that neither
    /// answers nor hangs up within <see cref="CloseTimeout"/> (frozen, or its disk stalled) is hung up on: the writes
    /// it has not answered stay in doubt, and the closing database fails them as unknown.</summary>
    public async Task CloseAsync()
    {
        _outgoing.Writer.TryComplete();
        var closed = _closed.Task;
        var bound = _faults?.ClientCloseTimeout(CloseTimeout) ?? CloseTimeout;
        if (await Task.WhenAny(closed, Task.Delay(bound)).ConfigureAwait(false) != closed)
        {
            TryShutdown(SocketShutdown.Both); // wakes a send blocked on a full buffer and the receive loop
        }

        await _sending.ConfigureAwait(false);
        await _receiving.ConfigureAwait(false);
        await closed.ConfigureAwait(false);
    }

    private async Task SendLoopAsync()
    {
        var frames = new FrameWriter(64 << 10);
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (_broken)
                {
                    return; // Break takes what is left
                }

                frames.Reset();
                while (frames.Buffer.WrittenCount < (256 << 10) && reader.TryRead(out var write))
                {
                    Encode(frames, write);
                }

                await SendFramesAsync(frames.Written).ConfigureAwait(false);
            }

            if (_broken)
            {
                return;
            }

            // Everything this client will ever send is ahead of this frame; the owner may now drain and hang up.
            frames.Reset();
            new ClosedFrame().Write(frames);
            await SendFramesAsync(frames.Written).ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception)
        {
            // Whatever ended it (the owner went away, a cut, a bug): stop taking writes and let the owner, if alive, see
            // our end. Its replies to what we sent still arrive; the receive loop reads them, then breaks the connection.
            _outgoing.Writer.TryComplete();
            TryShutdown(SocketShutdown.Send);
        }
    }

    private async ValueTask SendFramesAsync(ReadOnlyMemory<byte> bytes)
    {
        if (_faults is { } faults && faults.BeforeClientSend(bytes.Length) is var cut && cut < bytes.Length)
        {
            await _socket.SendAsync(bytes[..Math.Max(cut, 0)], SocketFlags.None).ConfigureAwait(false);
            throw new IOException($"The connection was cut after {cut} of {bytes.Length} bytes (an injected fault).");
        }

        await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
    }

    private void Encode(FrameWriter frames, ClientWrite write)
    {
        var statement = write.Write;
        if (!_statements.TryGetValue(statement.Sql, out var id))
        {
            var bytes = Encoding.UTF8.GetByteCount(statement.Sql);
            if (_statements.Count >= WireProtocol.MaxStatements || _statementBytes + bytes > WireProtocol.MaxStatementBytes)
            {
                // Far beyond any generated schema: this connection defines no more statements.
                if (write.Earlier is null)
                {
                    write.Reroute(_fallback);
                }
                else
                {
                    write.FailUnknown(_databasePath, $"was in flight when the process owning its writer went away, and could not be asked about: the new connection holds {WireProtocol.MaxStatements} statements or {WireProtocol.MaxStatementBytes} bytes of SQL already");
                }

                return;
            }

            if (!write.Claim())
            {
                return; // cancelled while queued
            }

            id = _statements.Count;
            _statements.Add(statement.Sql, id);
            _statementBytes += bytes;
            new StatementFrame(id, statement.Sql, statement.ParameterCount).Write(frames);
        }
        else if (!write.Claim())
        {
            return;
        }

        // Pending before a byte is written: should anything fail from here on, the write is in doubt (resolved
        // through the records), never dropped. The values were checked when the write was made (Validate).
        var request = ++_nextRequest;
        _pending[request] = write;
        write.Sent();
        if (write.Earlier is { } earlier)
        {
            RetryFrame.Write(frames, request, earlier, id, statement.Values);
        }
        else
        {
            WriteFrame.Write(frames, request, id, statement.Values);
        }
    }

    private void TryShutdown(SocketShutdown how)
    {
        try
        {
            _socket.Shutdown(how);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already disconnected.
        }
    }
}

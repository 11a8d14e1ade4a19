using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>
/// A process's connection to the process that owns a database's writer. Writes queue here, are sent many per system
/// call, and complete when the owner reports their batch committed. A write never sent (the owner is closing or
/// gone) is handed back to this process's own writer; a write sent and not answered is handed to the next route
/// in doubt (<see cref="Closed"/>), which asks the owner's records what became of it.
/// </summary>
internal sealed class WriterClient
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly string _databasePath;
    private readonly Func<StatementWrite, CancellationToken, Task<int>> _fallback;
    private readonly Channel<ClientWrite> _outgoing;
    private readonly ConcurrentDictionary<long, ClientWrite> _pending = new();
    private readonly Dictionary<string, int> _statements = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<List<ClientWrite>> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _sending;
    private long _nextRequest;
    private volatile bool _broken;

    private WriterClient(Socket socket, long clientId, string databasePath, int capacity, Func<StatementWrite, CancellationToken, Task<int>> fallback)
    {
        _socket = socket;
        ClientId = clientId;
        _databasePath = databasePath;
        _fallback = fallback;
        _outgoing = Channel.CreateBounded<ClientWrite>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false, // Break takes what the sender did not
        });
        _sending = Task.Run(SendLoopAsync);
        _ = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>This connection's random id: the owner records the outcomes of its writes under it.</summary>
    public long ClientId { get; }

    /// <summary>Completes when the connection is over, with the writes it leaves in doubt (sent and not answered, in
    /// the order they were sent); every other write it took has an outcome or went back to <c>fallback</c>.</summary>
    public Task<List<ClientWrite>> Closed => _closed.Task;

    /// <summary>Connects and shakes hands; null when no owner listens (none yet, or it just went away).</summary>
    public static WriterClient? TryConnect(string socketPath, string databasePath, int capacity, Func<StatementWrite, CancellationToken, Task<int>> fallback)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var clientId = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.ReceiveTimeout = socket.SendTimeout = (int)HandshakeTimeout.TotalMilliseconds;
            var hello = new FrameWriter(new ArrayBufferWriter<byte>(32));
            hello.Begin(FrameKind.Hello).Int32(WriterHost.Protocol).Int64(clientId).End();
            socket.Send(hello.Buffer.WrittenSpan);
            if (!ReadWelcome(socket))
            {
                socket.Dispose();
                return null;
            }

            socket.ReceiveTimeout = socket.SendTimeout = 0;
            return new WriterClient(socket, clientId, databasePath, capacity, fallback);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    private static bool ReadWelcome(Socket socket)
    {
        // [int32 length = 5][kind][int32 protocol]: read exactly this frame, nothing after it.
        Span<byte> frame = stackalloc byte[9];
        for (var read = 0; read < frame.Length;)
        {
            var n = socket.Receive(frame[read..]);
            if (n == 0)
            {
                return false; // the owner refused this protocol
            }

            read += n;
        }

        return frame[4] == (byte)FrameKind.Welcome && new FrameReader(frame[5..]).Int32() == WriterHost.Protocol;
    }

    /// <summary>Queues <paramref name="write"/> for the owner. Once this connection takes no more writes (the owner
    /// is closing or gone) the write goes to this process's own writer instead.</summary>
    public Task<int> SendAsync(StatementWrite write, CancellationToken cancellationToken)
    {
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

    /// <summary>Stops taking writes, sends those queued, waits for their outcomes and hangs up.</summary>
    public async Task CloseAsync()
    {
        _outgoing.Writer.TryComplete();
        await _sending.ConfigureAwait(false);
        await _closed.Task.ConfigureAwait(false);
    }

    private async Task SendLoopAsync()
    {
        var frames = new FrameWriter(new ArrayBufferWriter<byte>(64 << 10));
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (_broken)
                {
                    return; // Break takes what is left
                }

                frames.Buffer.ResetWrittenCount();
                while (frames.Buffer.WrittenCount < (256 << 10) && reader.TryRead(out var write))
                {
                    if (write.Claim())
                    {
                        Encode(frames, write);
                    }
                }

                await _socket.SendAsync(frames.Buffer.WrittenMemory, SocketFlags.None).ConfigureAwait(false);
            }

            if (_broken)
            {
                return;
            }

            // Everything this client will ever send is ahead of this frame; the owner may now drain and hang up.
            frames.Buffer.ResetWrittenCount();
            frames.Begin(FrameKind.Closed).End();
            await _socket.SendAsync(frames.Buffer.WrittenMemory, SocketFlags.None).ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The owner went away. Stop taking writes, and let it (if alive) see our end: its replies to what we
            // sent still arrive, and the receive loop reads them before it breaks the connection.
            _outgoing.Writer.TryComplete();
            TryShutdown(SocketShutdown.Send);
        }
    }

    private void Encode(FrameWriter frames, ClientWrite write)
    {
        var statement = write.Write;
        if (!_statements.TryGetValue(statement.Sql, out var id))
        {
            id = _statements.Count;
            _statements.Add(statement.Sql, id);
            frames.Begin(FrameKind.Statement).Int32(id).String(statement.Sql).Int32(statement.ParameterCount).End();
        }

        // The values were checked when the write was made (StatementWrite.Validate), so encoding cannot fail halfway.
        var request = ++_nextRequest;
        if (write.Earlier is { } earlier)
        {
            frames.Begin(FrameKind.Retry).Int64(request).Int32(earlier.Count);
            foreach (var sending in earlier)
            {
                frames.Int64(sending.Client).Int64(sending.Request);
            }
        }
        else
        {
            frames.Begin(FrameKind.Write).Int64(request);
        }

        frames.Int32(id).Int32(statement.Values.Length);
        foreach (var value in statement.Values)
        {
            frames.Value(value);
        }

        frames.End();
        write.Sent();
        _pending[request] = write;
    }

    private async Task ReceiveLoopAsync()
    {
        var receiver = new FrameReceiver(_socket);
        var garbled = false;
        try
        {
            while (await receiver.FillAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (receiver.TryNext(out var kind, out var payload))
                {
                    Handle(kind, payload.Span);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Handled below as a hang-up.
        }
        catch (InvalidDataException)
        {
            garbled = true;
        }

        await BreakAsync(garbled).ConfigureAwait(false);
    }

    private void Handle(FrameKind kind, ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        switch (kind)
        {
            case FrameKind.Done:
                if (_pending.TryRemove(reader.Int64(), out var done))
                {
                    done.Succeed(reader.Int32());
                }

                break;
            case FrameKind.Failed:
                if (_pending.TryRemove(reader.Int64(), out var failed))
                {
                    failed.Fail(new RemoteFailure(reader.Int32(), reader.Int32(), reader.String()).ToException(_databasePath));
                }

                break;
            case FrameKind.Closing:
                // The owner is closing: stop queueing here (new writes go to this process's writer); what is queued
                // is still sent, then the Closed frame, then the owner answers everything and hangs up.
                _outgoing.Writer.TryComplete();
                break;
            default:
                throw new InvalidDataException($"Unexpected frame {kind} from the owner.");
        }
    }

    /// <summary>
    /// The connection is over, and every reply the owner sent has been read. Unsent writes go back to this process's
    /// writer; writes sent and not answered are in doubt: the owner may have committed them just before it went
    /// away. They are handed on (<see cref="Closed"/>) to be resolved through the next route, never re-run blindly.
    /// </summary>
    /// <param name="garbled">The owner sent a frame that does not parse: its replies cannot be trusted, so the
    /// writes in doubt stay unknown.</param>
    private async Task BreakAsync(bool garbled)
    {
        _broken = true;
        _outgoing.Writer.TryComplete();
        TryShutdown(SocketShutdown.Both); // wakes a send blocked on a full buffer
        await _sending.ConfigureAwait(false); // from here on nothing is sent: _pending is final

        var inDoubt = new List<ClientWrite>();
        foreach (var request in _pending.Keys.Order())
        {
            var write = _pending[request];
            write.Unanswered(ClientId, request);
            if (garbled)
            {
                write.FailUnknown(_databasePath, "was in flight when the process owning its writer sent a frame that does not parse");
            }
            else
            {
                inDoubt.Add(write);
            }
        }

        _pending.Clear();
        while (_outgoing.Reader.TryRead(out var unsent))
        {
            if (unsent.Earlier is null)
            {
                unsent.Reroute(_fallback);
            }
            else
            {
                inDoubt.Add(unsent); // a retry not sent yet: still in doubt
            }
        }

        _socket.Dispose();
        _closed.TrySetResult(inDoubt);
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

using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Filix.Runtime.Writing;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sharing;

/// <summary>
/// A process's connection to the process that owns a database's writer. Writes queue here, are sent many per system
/// call, and complete when the owner reports their batch committed. A write never sent (the owner is closing or
/// gone) is handed back to this process's own writer, so it is neither lost nor stored twice.
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
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _sending;
    private long _nextRequest;

    private WriterClient(Socket socket, string databasePath, int capacity, Func<StatementWrite, CancellationToken, Task<int>> fallback)
    {
        _socket = socket;
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

    /// <summary>Completes when the connection is over and every write it took has an outcome or went back to
    /// <c>fallback</c>.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Connects and shakes hands; null when no owner listens (none yet, or it just went away).</summary>
    public static WriterClient? TryConnect(string socketPath, string databasePath, int capacity, Func<StatementWrite, CancellationToken, Task<int>> fallback)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.ReceiveTimeout = socket.SendTimeout = (int)HandshakeTimeout.TotalMilliseconds;
            var hello = new FrameWriter(new ArrayBufferWriter<byte>(32));
            hello.Begin(FrameKind.Hello).Int32(WriterHost.Protocol).End();
            socket.Send(hello.Buffer.WrittenSpan);
            if (!ReadWelcome(socket))
            {
                socket.Dispose();
                return null;
            }

            socket.ReceiveTimeout = socket.SendTimeout = 0;
            return new WriterClient(socket, databasePath, capacity, fallback);
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
                frames.Buffer.ResetWrittenCount();
                while (frames.Buffer.WrittenCount < (256 << 10) && reader.TryRead(out var write))
                {
                    if (write.TryStart())
                    {
                        Encode(frames, write);
                    }
                }

                await _socket.SendAsync(frames.Buffer.WrittenMemory, SocketFlags.None).ConfigureAwait(false);
            }

            // Everything this client will ever send is ahead of this frame; the owner may now drain and hang up.
            frames.Buffer.ResetWrittenCount();
            frames.Begin(FrameKind.Closed).End();
            await _socket.SendAsync(frames.Buffer.WrittenMemory, SocketFlags.None).ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Break();
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
        frames.Begin(FrameKind.Write).Int64(request).Int32(id).Int32(statement.Values.Length);
        foreach (var value in statement.Values)
        {
            frames.Value(value);
        }

        frames.End();
        _pending[request] = write;
    }

    private async Task ReceiveLoopAsync()
    {
        var receiver = new FrameReceiver(_socket);
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
        catch (Exception ex) when (ex is SocketException or InvalidDataException or ObjectDisposedException)
        {
            // Handled below as a hang-up.
        }

        Break();
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
                    var code = reader.Int32();
                    var extended = reader.Int32();
                    var message = reader.String();
                    failed.Fail(new FilixException(message, _databasePath, code == 0 ? null : new SqliteException(message, code, extended)));
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

    /// <summary>The connection is over: unsent writes go back to this process's writer; writes sent and not answered
    /// have an unknown outcome (the owner may have committed them before it went away).</summary>
    private void Break()
    {
        _outgoing.Writer.TryComplete();
        while (_outgoing.Reader.TryRead(out var unsent))
        {
            unsent.Reroute(_fallback);
        }

        foreach (var request in _pending.Keys)
        {
            if (_pending.TryRemove(request, out var lost))
            {
                lost.Fail(new FilixException(
                    $"The process that owned the writer of '{_databasePath}' went away while this write was in flight: it may or may not have been stored. " +
                    "Read the row back before retrying a write that is not idempotent.",
                    _databasePath));
            }
        }

        _socket.Dispose();
        _closed.TrySetResult();
    }
}

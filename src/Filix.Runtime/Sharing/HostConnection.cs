using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Filix.Runtime.Writing;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sharing;

/// <summary>
/// The owner's side of one client process: reads its writes off the socket into this process's writer queue, and
/// sends each outcome back once the batch holding it has committed. Replies are gathered and sent many per system
/// call, as the writer acknowledges a whole batch at once.
/// </summary>
internal sealed class HostConnection
{
    private readonly Socket _socket;
    private readonly Writer _writer;
    private readonly Dictionary<int, (string Sql, int ParameterCount)> _statements = [];
    private readonly Channel<Reply> _replies = Channel.CreateUnbounded<Reply>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _sending;
    private readonly CancellationTokenSource _stopReading = new();
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _unanswered = 1; // one for the receive loop itself, dropped when it ends

    public HostConnection(Socket socket, Writer writer)
    {
        _socket = socket;
        _writer = writer;
        _sending = Task.Run(SendLoopAsync);
        Receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Completes when no more writes will be read from this client: it said <see cref="FrameKind.Closed"/>,
    /// hung up, or broke the protocol.</summary>
    public Task Receiving { get; }

    /// <summary>Completes when reading has ended and every write read has its outcome queued for sending.</summary>
    public Task Answered => _answered.Task;

    public void Done(long request, int changes)
    {
        _replies.Writer.TryWrite(new Reply(request, changes, null));
        Answer();
    }

    public void Failed(long request, Exception error)
    {
        _replies.Writer.TryWrite(new Reply(request, 0, error));
        Answer();
    }

    private void Answer()
    {
        if (Interlocked.Decrement(ref _unanswered) == 0)
        {
            _answered.TrySetResult();
        }
    }

    /// <summary>Asks the client to stop sending (it answers <see cref="FrameKind.Closed"/> after its last write).</summary>
    public void RequestClose() => _replies.Writer.TryWrite(Reply.Closing);

    /// <summary>Stops reading at once (the client did not answer the close in time).</summary>
    public void StopReading() => _stopReading.Cancel();

    /// <summary>After the writer has drained: sends the replies still queued and closes the socket.</summary>
    public async Task FinishAsync()
    {
        _replies.Writer.TryComplete();
        await _sending.ConfigureAwait(false);
        _socket.Dispose();
        _stopReading.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var receiver = new FrameReceiver(_socket);
        try
        {
            while (await receiver.FillAsync(_stopReading.Token).ConfigureAwait(false))
            {
                while (receiver.TryNext(out var kind, out var payload))
                {
                    switch (kind)
                    {
                        case FrameKind.Statement:
                            DefineStatement(payload.Span);
                            break;
                        case FrameKind.Write:
                            var write = ReadWrite(payload.Span);
                            Interlocked.Increment(ref _unanswered);
                            try
                            {
                                await _writer.EnqueueAsync(write, _stopReading.Token).ConfigureAwait(false);
                            }
                            catch
                            {
                                Answer(); // never queued, so never answered by the writer
                                throw;
                            }

                            break;
                        case FrameKind.Closed:
                            return;
                        default:
                            throw new InvalidDataException($"Unexpected frame {kind} from a client.");
                    }
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or InvalidDataException or OperationCanceledException or FilixException or ObjectDisposedException)
        {
            // The client hung up or sent garbage, or this process is closing: writes already queued still commit;
            // their replies go nowhere if the client is gone, and it treats unanswered writes as unknown.
        }
        finally
        {
            Answer();
        }
    }

    private void DefineStatement(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        var id = reader.Int32();
        var sql = reader.String();
        _statements[id] = (sql, reader.Int32());
    }

    private RemoteWrite ReadWrite(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        var request = reader.Int64();
        var id = reader.Int32();
        if (!_statements.TryGetValue(id, out var statement))
        {
            throw new InvalidDataException($"A write names statement {id}, which the client never defined.");
        }

        var values = new object?[reader.Int32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.Value();
        }

        return new RemoteWrite(this, request, new StatementWrite(statement.Sql, statement.ParameterCount, values));
    }

    private async Task SendLoopAsync()
    {
        var frames = new FrameWriter(new ArrayBufferWriter<byte>(64 << 10));
        var connected = true;
        var replies = _replies.Reader;
        while (await replies.WaitToReadAsync().ConfigureAwait(false))
        {
            frames.Buffer.ResetWrittenCount();
            while (replies.TryRead(out var reply))
            {
                Encode(frames, reply);
            }

            if (!connected)
            {
                continue; // the client is gone: keep draining so the writer never blocks on us
            }

            try
            {
                await _socket.SendAsync(frames.Buffer.WrittenMemory, SocketFlags.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                connected = false;
            }
        }
    }

    private static void Encode(FrameWriter frames, Reply reply)
    {
        if (reply.Request < 0)
        {
            frames.Begin(FrameKind.Closing).End();
        }
        else if (reply.Error is null)
        {
            frames.Begin(FrameKind.Done).Int64(reply.Request).Int32(reply.Changes).End();
        }
        else
        {
            // The SQLite codes travel so the client rebuilds the same exception shape a local write gets.
            var sqlite = reply.Error as SqliteException ?? reply.Error.InnerException as SqliteException;
            frames.Begin(FrameKind.Failed).Int64(reply.Request)
                .Int32(sqlite?.SqliteErrorCode ?? 0).Int32(sqlite?.SqliteExtendedErrorCode ?? 0)
                .String(reply.Error.Message).End();
        }
    }

    private readonly record struct Reply(long Request, int Changes, Exception? Error)
    {
        public static Reply Closing => new(-1, 0, null);
    }
}

using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>
/// The owner's side of one client process: reads its writes off the socket into this process's writer queue, and
/// sends each outcome back once the batch holding it has committed. Replies are gathered and sent many per system
/// call, as the writer acknowledges a whole batch at once. The outcomes are also recorded (<see cref="Outcomes"/>)
/// until their replies are delivered (<see cref="DeliveredThrough"/>), for the client to ask about if this process
/// dies first.
/// </summary>
internal sealed partial class HostConnection
{
    private readonly Socket _socket;
    private readonly FrameReceiver _receiver;
    private readonly Writer _writer;
    private readonly WriterHost _host;
    private readonly OutcomeLedger _ledger;
    private readonly Dictionary<int, (string Sql, int ParameterCount)> _statements = [];
    private readonly Channel<Outgoing> _replies = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _sending;
    private readonly CancellationTokenSource _stopReading = new();
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _unanswered = 1; // one for the receive loop itself, dropped when it ends
    private long _deliveredThrough;
    private volatile bool _ended;

    // receiver: the reader the hello came through; it may hold frames a client sent right after the hello.
    public HostConnection(Socket socket, FrameReceiver receiver, long clientId, Writer writer, WriterHost host, OutcomeLedger ledger)
    {
        _socket = socket;
        _receiver = receiver;
        _writer = writer;
        _host = host;
        _ledger = ledger;
        ClientId = clientId;
        Outcomes = new OutcomeRun(clientId);
        _sending = Task.Run(SendLoopAsync);
        Receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The random id the client chose for this connection (its <see cref="FrameKind.Hello"/>).</summary>
    public long ClientId { get; }

    /// <summary>The outcomes of this client's writes in the transaction being committed (writer thread only).</summary>
    public OutcomeRun Outcomes { get; }

    /// <summary>Every request up to this one has had its reply handed to the socket, so the client gets it even if
    /// this process dies now: its record is no longer needed.</summary>
    public long DeliveredThrough => Volatile.Read(ref _deliveredThrough);

    /// <summary>Set once every reply has been sent: the ledger forgets the connection at its next pruning pass.</summary>
    public bool Ended
    {
        get => _ended;
        set => _ended = value;
    }

    /// <summary>Completes when no more writes will be read from this client: it said <see cref="FrameKind.Closed"/>,
    /// hung up, or broke the protocol.</summary>
    public Task Receiving { get; }

    /// <summary>Completes when reading has ended and every write read has its outcome queued for sending.</summary>
    public Task Answered => _answered.Task;

    public void Reply(long request, WriteOutcome outcome)
    {
        _replies.Writer.TryWrite(new Outgoing(request, outcome));
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
    public void RequestClose() => _replies.Writer.TryWrite(Outgoing.Closing);

    /// <summary>Stops reading at once (the client did not answer the close in time).</summary>
    public void StopReading() => _stopReading.Cancel();

    /// <summary>Once <see cref="Answered"/>: sends the replies still queued and closes the socket.</summary>
    public async Task FinishAsync()
    {
        _replies.Writer.TryComplete();
        await _sending.ConfigureAwait(false);
        _socket.Dispose();
        _stopReading.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var receiver = _receiver;
        try
        {
            // Frames first: the hello's reader may already hold the ones a client sent without waiting for the welcome.
            do
            {
                while (receiver.TryNext(out var kind, out var payload))
                {
                    if (_hold is { } hold)
                    {
                        _holding.TrySetResult();
                        await hold.Task.ConfigureAwait(false);
                        return;
                    }

                    switch (kind)
                    {
                        case FrameKind.Statement:
                            DefineStatement(payload.Span);
                            break;
                        case FrameKind.Write:
                            await EnqueueAsync(ReadWrite(payload.Span, retry: false, out _)).ConfigureAwait(false);
                            break;
                        case FrameKind.Retry:
                            var retry = ReadWrite(payload.Span, retry: true, out var earlier);

                            // The earlier sendings may be of a connection to this same owner that broke and is still
                            // draining: the retry waits until each of its writes has an outcome (whose record is
                            // then committed), so it never runs beside a write it duplicates.
                            foreach (var sending in earlier!)
                            {
                                await _host.AnsweredAsync(sending.Client).ConfigureAwait(false);
                            }

                            await EnqueueAsync(retry).ConfigureAwait(false);
                            break;
                        case FrameKind.Closed:
                            return;
                        default:
                            throw new InvalidDataException($"Unexpected frame {kind} from a client.");
                    }
                }
            }
            while (await receiver.FillAsync(_stopReading.Token).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is SocketException or InvalidDataException or OperationCanceledException or FilixException or ObjectDisposedException)
        {
            // The client hung up or sent garbage, or this process is closing: writes already queued still commit and
            // are recorded; if their replies cannot reach the client, it asks about them through its next route.
        }
        finally
        {
            Answer();
        }
    }

    private async ValueTask EnqueueAsync(RemoteWrite write)
    {
        Interlocked.Increment(ref _unanswered);
        try
        {
            await _writer.EnqueueAsync(write, _stopReading.Token).ConfigureAwait(false);
        }
        catch (FilixException error) when (_writer.Faulted)
        {
            // The writer stopped on a fault: the write was certainly not stored. Saying so beats hanging up, which
            // would leave it in doubt and bring the client straight back with a retry that fails the same way.
            write.Fail(error);
        }
        catch
        {
            // Never queued (this owner is closing), so never answered by the writer nor recorded: the client finds it
            // not stored and sends it to the next owner.
            Answer();
            throw;
        }
    }

    private void DefineStatement(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        var id = reader.Int32();
        var sql = reader.String();
        _statements[id] = (sql, reader.Int32());
    }

    private RemoteWrite ReadWrite(ReadOnlySpan<byte> payload, bool retry, out Sending[]? earlier)
    {
        var reader = new FrameReader(payload);
        var request = reader.Int64();
        earlier = null;
        if (retry)
        {
            var count = reader.Int32();
            if (count < 1 || count > payload.Length / 16)
            {
                throw new InvalidDataException($"A retry names {count} earlier sendings in a frame of {payload.Length} bytes.");
            }

            earlier = new Sending[count];
            for (var i = 0; i < earlier.Length; i++)
            {
                earlier[i] = new Sending(reader.Int64(), reader.Int64());
            }
        }

        var id = reader.Int32();
        if (!_statements.TryGetValue(id, out var statement))
        {
            throw new InvalidDataException($"A write names statement {id}, which the client never defined.");
        }

        // Every value takes at least its one-byte tag: a count beyond the bytes left is a broken frame, not an
        // allocation to attempt.
        var valueCount = reader.Int32();
        if (valueCount < 0 || valueCount > payload.Length)
        {
            throw new InvalidDataException($"A write carries {valueCount} values in a frame of {payload.Length} bytes.");
        }

        var values = new object?[valueCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.Value();
        }

        try
        {
            // The same shape rule the client's call was held to (whole rows of the statement's parameters).
            StatementWrite.Validate(statement.Sql, statement.ParameterCount, values);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        return new RemoteWrite(this, request, new StatementWrite(statement.Sql, statement.ParameterCount, values), earlier, _ledger);
    }

    private async Task SendLoopAsync()
    {
        var frames = new FrameWriter(new ArrayBufferWriter<byte>(64 << 10));
        var sent = new List<long>();
        var early = new HashSet<long>();
        var connected = true;
        var replies = _replies.Reader;
        while (await replies.WaitToReadAsync().ConfigureAwait(false))
        {
            frames.Buffer.ResetWrittenCount();
            sent.Clear();
            while (replies.TryRead(out var reply))
            {
                Encode(frames, reply);
                if (reply.Request > 0)
                {
                    sent.Add(reply.Request);
                }
            }

            if (!connected || _muted)
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
                continue;
            }

            Delivered(sent, early);
        }
    }

    /// <summary>Advances <see cref="DeliveredThrough"/> over the requests just sent. Replies leave mostly in request
    /// order; a write that failed in its savepoint is answered before the batch-mates ahead of it, and waits in
    /// <paramref name="early"/> until the gap before it closes.</summary>
    private void Delivered(List<long> sent, HashSet<long> early)
    {
        var through = _deliveredThrough; // only this loop writes it
        foreach (var request in sent)
        {
            if (request != through + 1)
            {
                early.Add(request);
                continue;
            }

            through++;
            while (early.Count > 0 && early.Remove(through + 1))
            {
                through++;
            }
        }

        Volatile.Write(ref _deliveredThrough, through);
    }

    private static void Encode(FrameWriter frames, Outgoing reply)
    {
        if (reply.Request < 0)
        {
            frames.Begin(FrameKind.Closing).End();
        }
        else if (reply.Outcome.Failure is not { } failure)
        {
            frames.Begin(FrameKind.Done).Int64(reply.Request).Int32(reply.Outcome.Changes).End();
        }
        else
        {
            // The SQLite codes travel so the client rebuilds the same exception shape a local write gets.
            frames.Begin(FrameKind.Failed).Int64(reply.Request).Int32(failure.Code).Int32(failure.ExtendedCode).String(failure.Message).End();
        }
    }

    private readonly record struct Outgoing(long Request, WriteOutcome Outcome)
    {
        public static Outgoing Closing => new(-1, default);
    }
}

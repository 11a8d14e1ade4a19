using System.Net.Sockets;
using System.Threading.Channels;
using Filix.Runtime.Sharing.Protocol;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>
/// The owner's side of one client process: reads its writes off the socket into this process's writer queue, and
/// sends each outcome back once the batch holding it has committed. Replies are gathered and sent many per system
/// call, as the writer acknowledges a whole batch at once. The outcomes are also recorded (<see cref="Outcomes"/>)
/// until their replies are delivered (<see cref="DeliveredThrough"/>), for the client to ask about if this process
/// dies first.
/// </summary>
/// <remarks>
/// Both loops fail safe. Reading ends on a hang-up, on closing, on a frame that does not parse (the client is then
/// answered for what it sent before and hung up on) or on anything unforeseen (<see cref="Break"/>: hung up on at
/// once); in every case its <c>finally</c> lets <see cref="Answered"/> complete. The reply loop never ends before
/// <see cref="FinishAsync"/>: a send that fails breaks the connection and the loop keeps draining, so the writer
/// never waits on a client.
/// </remarks>
internal sealed class HostConnection
{
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly FrameReceiver _receiver;
    private readonly Writer _writer;
    private readonly WriterHost _host;
    private readonly OutcomeLedger _ledger;
    private readonly Dictionary<int, StatementFrame> _statements = [];
    private readonly Channel<Outgoing> _replies = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _sending;
    private readonly CancellationTokenSource _stopReading = new();
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _statementBytes;
    private int _unanswered = 1; // one for the receive loop itself, dropped when it ends
    private long _deliveredThrough;
    private volatile bool _ended;
    private Exception? _breakReason;

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

    /// <summary>The random id the client chose for this connection (its <see cref="HelloFrame"/>).</summary>
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

    /// <summary>Bytes the receive buffer holds room for (tests: no length a client claims is allocated ahead).</summary>
    internal int ReceiveCapacity => _receiver.Capacity;

    /// <summary>Bytes received and not yet read as whole frames (tests: that a partial frame has arrived).</summary>
    internal int ReceivedUnread => _receiver.Unread;

    /// <summary>Why the connection broke (<see cref="Break"/>); null while it is whole.</summary>
    public Exception? BreakReason => Volatile.Read(ref _breakReason);

    /// <summary>Completes when no more writes will be read from this client: it said <see cref="FrameKind.Closed"/>,
    /// hung up, or broke the protocol. Never faults.</summary>
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

    /// <summary>
    /// The connection is unusable (after Npgsql's <c>connector.Break</c>): an unforeseen error in one of its loops, or
    /// a test's "the owner died". Stops reading, shuts the socket both ways so the client sees the hang-up at once and
    /// resolves its unanswered writes through its next route, and stops sending; the writes already queued still
    /// commit, are recorded and count as answered. Only the first reason is kept.
    /// </summary>
    /// <returns><paramref name="reason"/>, for <c>throw connection.Break(e)</c>.</returns>
    public Exception Break(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _breakReason, reason, null) is null)
        {
            _stopReading.Cancel();
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already gone.
            }
        }

        return reason;
    }

    /// <summary>Once <see cref="Answered"/>: sends the replies still queued and closes the socket. A client that
    /// does not read them within <see cref="FinishTimeout"/> (frozen, or hostile) is hung up on: otherwise the send
    /// blocked on its full buffer would hold this owner's close forever. It asks about what it missed.</summary>
    public async Task FinishAsync()
    {
        _replies.Writer.TryComplete();
        if (await Task.WhenAny(_sending, Task.Delay(FinishTimeout)).ConfigureAwait(false) != _sending)
        {
            Break(new TimeoutException($"The client did not read its replies for {FinishTimeout.TotalSeconds:0} s."));
        }

        await _sending.ConfigureAwait(false); // never faults
        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            // Frames first: the hello's reader may already hold the ones a client sent without waiting for the welcome.
            do
            {
                while (_receiver.TryNext(out var kind, out var payload))
                {
                    if (_host.Faults is { } faults && !await faults.BeforeHostFrameAsync(this, kind).ConfigureAwait(false))
                    {
                        return; // the test's owner "died" before reading this frame
                    }

                    if (!await HandleAsync(kind, payload).ConfigureAwait(false))
                    {
                        return; // Closed: nothing follows
                    }
                }
            }
            while (await _receiver.FillAsync(_stopReading.Token).ConfigureAwait(false));

            // A hang-up. A frame it cut short (_receiver.Unread > 0) was never read, so never run: the client finds no
            // record of it and sends it again.
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException or FilixException)
        {
            // The client hung up or sent something that does not parse, or this process is closing: writes already
            // queued still commit and are recorded, their replies go out, then the connection is hung up on; what the
            // client does not hear about it asks its next route.
        }
        catch (Exception ex)
        {
            Break(ex); // unforeseen: this connection's state is suspect, so the client is hung up on at once
        }
        finally
        {
            Answer();
        }
    }

    /// <summary>Handles one frame; false when the client said it is done.</summary>
    private async ValueTask<bool> HandleAsync(FrameKind kind, ReadOnlyMemory<byte> payload)
    {
        // Every frame is decoded before the first await: the payload lives in the receiver's buffer.
        switch (kind)
        {
            case FrameKind.Statement:
                DefineStatement(StatementFrame.Read(payload.Span));
                return true;
            case FrameKind.Write:
                var write = WriteFrame.Read(payload.Span);
                await EnqueueAsync(Remote(write.Request, write.Statement, write.Values, earlier: null)).ConfigureAwait(false);
                return true;
            case FrameKind.Retry:
                var retry = RetryFrame.Read(payload.Span);
                var remote = Remote(retry.Request, retry.Statement, retry.Values, retry.Earlier);

                // The earlier sendings may be of a connection to this same owner that broke and is still draining: the
                // retry waits until each of its writes has an outcome (whose record is then committed), so it never runs
                // beside a write it duplicates.
                foreach (var sending in retry.Earlier)
                {
                    await _host.AnsweredAsync(sending.Client).ConfigureAwait(false);
                }

                await EnqueueAsync(remote).ConfigureAwait(false);
                return true;
            case FrameKind.Closed:
                ClosedFrame.Read(payload.Span);
                return false;
            default:
                throw new InvalidDataException($"Unexpected frame {kind} from a client.");
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

    /// <summary>Ids come in order (0, 1, 2, ...), within the per-connection limits: an owner's memory per client is
    /// bounded whatever a client sends.</summary>
    private void DefineStatement(StatementFrame statement)
    {
        _statementBytes += statement.Sql.Length;
        if (statement.Id != _statements.Count || _statements.Count >= WireProtocol.MaxStatements || _statementBytes > WireProtocol.MaxStatementBytes)
        {
            throw new InvalidDataException($"Statement {statement.Id} after {_statements.Count} statements of {_statementBytes} characters in all.");
        }

        _statements.Add(statement.Id, statement);
    }

    private RemoteWrite Remote(long request, int statementId, object?[] values, Sending[]? earlier)
    {
        if (!_statements.TryGetValue(statementId, out var statement))
        {
            throw new InvalidDataException($"A write names statement {statementId}, which the client never defined.");
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
        var frames = new FrameWriter(64 << 10);
        var sent = new List<long>();
        var early = new HashSet<long>();
        var replies = _replies.Reader;
        while (await replies.WaitToReadAsync().ConfigureAwait(false)) // completed, never faulted
        {
            try
            {
                frames.Reset();
                sent.Clear();
                while (replies.TryRead(out var reply))
                {
                    Encode(frames, reply);
                    if (reply.Request > 0)
                    {
                        sent.Add(reply.Request);
                    }
                }

                if (BreakReason is not null || _host.Faults?.DropReplies(this) == true)
                {
                    continue; // the client is gone: keep draining so the writer never blocks on us
                }

                _host.Faults?.BeforeHostSend(this);
                await _socket.SendAsync(frames.Written, SocketFlags.None).ConfigureAwait(false);
                Delivered(sent, early);
            }
            catch (Exception ex)
            {
                // The client went away, or a bug: either way these replies may not have reached it. Break, so it asks
                // about them through its next route, and keep draining.
                Break(ex);
            }
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
            new ClosingFrame().Write(frames);
        }
        else
        {
            FailedFrame.WriteReply(frames, reply.Request, reply.Outcome);
        }
    }

    private readonly record struct Outgoing(long Request, WriteOutcome Outcome)
    {
        public static Outgoing Closing => new(-1, default);
    }
}

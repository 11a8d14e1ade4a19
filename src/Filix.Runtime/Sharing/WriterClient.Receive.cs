using System.Net.Sockets;
using Filix.Runtime.Sharing.Protocol;

namespace Filix.Runtime.Sharing;

/// <summary>The client's receive side: replies complete the callers' writes, and however the connection ends,
/// <see cref="BreakAsync"/> hands every write on and completes <see cref="Closed"/>.</summary>
internal sealed partial class WriterClient
{
    private async Task ReceiveLoopAsync()
    {
        string? suspect = null;
        try
        {
            // Frames first: the handshake's reader may already hold some.
            do
            {
                while (_receiver.TryNext(out var kind, out var payload))
                {
                    _faults?.BeforeClientFrame(kind);
                    Handle(kind, payload.Span);
                }
            }
            while (await _receiver.FillAsync(CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // A hang-up: every reply the owner sent has been read. The writes sent and not answered are resolved
            // through the next route, whose records say exactly what became of them.
        }
        catch (InvalidDataException)
        {
            suspect = "sent a frame that does not parse";
        }
        catch (Exception ex)
        {
            // A bug here may have dropped a reply already received, whose record the owner may then have deleted:
            // asking would find none and run the write twice. Like a garbled stream, the writes in flight stay unknown.
            suspect = $"could not be read on ({ex.GetType().Name}: {ex.Message})";
        }
        finally
        {
            await BreakAsync(suspect).ConfigureAwait(false);
        }
    }

    private void Handle(FrameKind kind, ReadOnlySpan<byte> payload)
    {
        switch (kind)
        {
            case FrameKind.Done:
                var done = DoneFrame.Read(payload);
                if (_pending.TryRemove(done.Request, out var stored))
                {
                    stored.Succeed(done.Changes);
                }

                break;
            case FrameKind.Failed:
                var failed = FailedFrame.Read(payload);
                if (_pending.TryRemove(failed.Request, out var write))
                {
                    write.Fail(failed.Failure.ToException(_databasePath));
                }

                break;
            case FrameKind.Closing:
                // The owner is closing: stop queueing here (new writes go to this process's writer); what is queued
                // is still sent, then the Closed frame, then the owner answers everything and hangs up.
                ClosingFrame.Read(payload);
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
    /// <param name="suspect">Null after a plain hang-up; else why the replies cannot be trusted (the owner sent a
    /// frame that does not parse, or reading them failed unforeseen), so the writes in doubt stay unknown.</param>
    private async Task BreakAsync(string? suspect)
    {
        var inDoubt = new List<ClientWrite>();
        try
        {
            _broken = true;
            _outgoing.Writer.TryComplete();
            TryShutdown(SocketShutdown.Both); // wakes a send blocked on a full buffer
            await _sending.ConfigureAwait(false); // never faults; from here on nothing is sent: _pending is final

            foreach (var request in _pending.Keys.Order())
            {
                if (!_pending.TryRemove(request, out var write))
                {
                    continue;
                }

                write.Unanswered(ClientId, request);
                if (suspect is not null)
                {
                    write.FailUnknown(_databasePath, $"was in flight when the connection to the process owning its writer {suspect}");
                }
                else
                {
                    inDoubt.Add(write);
                }
            }

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
        }
        catch (Exception ex)
        {
            // A bug while handing writes on: none may be left waiting, so what was not handed on fails as unknown.
            var why = $"was in flight when its connection to the process owning its writer broke, and handing it on failed ({ex.Message})";
            foreach (var request in _pending.Keys)
            {
                if (_pending.TryRemove(request, out var write))
                {
                    write.FailUnknown(_databasePath, why);
                }
            }

            while (_outgoing.Reader.TryRead(out var unsent))
            {
                unsent.FailUnknown(_databasePath, why);
            }
        }
        finally
        {
            _socket.Dispose();
            _closed.TrySetResult(inDoubt);
        }
    }
}

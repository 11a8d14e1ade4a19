using System.Diagnostics;
using Filix.Runtime.Sqlite;

namespace Filix.Runtime.Sharing;

/// <summary>
/// Writes in doubt: sent to an owner that went away before answering. Each waits for the next route and is
/// resolved there, behind everything the old owner had queued (it is dead, or it drained before it released the
/// owner lock, or it is the same owner and waits for the old connection's writes: <see cref="WriterHost.AnsweredAsync"/>):
/// the owner's records say whether it was stored, and a write never stored runs then, exactly once.
/// </summary>
internal sealed partial class SharedWriter
{
    /// <summary>How long writes in doubt wait for an owner to ask (one that holds the lock but cannot be reached).</summary>
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(30);

    private readonly List<ClientWrite> _inDoubt = []; // under _gate, waiting for a route
    private long _inDoubtSince;

    /// <summary>A route was just taken (under the gate): resolves every write waiting for one.</summary>
    private void ResolveInDoubtLocked()
    {
        var waiting = _inDoubt.ToArray();
        _inDoubt.Clear();
        foreach (var write in waiting)
        {
            ResolveLocked(write);
        }
    }

    private void ResolveLocked(ClientWrite write)
    {
        if (!write.MayResolve)
        {
            write.FailUnknown(_databasePath, $"was sent more than {OutcomeLedger.Retention / 2} ago to a process owning its writer that went away, so its record may be gone");
        }
        else if (_ledger is { } ledger)
        {
            // This process holds the owner lock, so the old owner is dead or closed: everything it took is decided.
            _tasks.Start(() => ResolveLocallyAsync(write, ledger));
        }
        else if (_client is { } client)
        {
            _tasks.Start(() => ResendAsync(client, write));
        }
        else
        {
            ParkLocked(write);
        }
    }

    private async Task ResolveLocallyAsync(ClientWrite write, OutcomeLedger ledger)
    {
        try
        {
            await _local.EnqueueAsync(new LocalRetry(write, ledger, _databasePath), CancellationToken.None).ConfigureAwait(false);
        }
        catch (FilixException)
        {
            write.FailUnknown(_databasePath, "was in flight when the process owning its writer went away, and this database closed before it could ask");
        }
        catch (Exception ex)
        {
            write.FailUnknown(_databasePath, $"was in flight when the process owning its writer went away, and asking about it failed ({ex.Message})");
        }
    }

    private async Task ResendAsync(WriterClient client, ClientWrite write)
    {
        bool queued;
        try
        {
            _faults?.BeforeResend();
            queued = await client.ResendAsync(write).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug, not a connection ending (that returns false): nothing would ever resolve the write, so say so now.
            write.FailUnknown(_databasePath, $"was in flight when the process owning its writer went away, and resending it failed ({ex.Message})");
            return;
        }

        if (queued)
        {
            return;
        }

        lock (_gate)
        {
            if (_client == client)
            {
                ParkLocked(write); // that connection is ending: its end starts the search for the next route
            }
            else
            {
                ResolveLocked(write);
            }
        }
    }

    /// <summary>Keeps <paramref name="write"/> until a route is taken (under the gate).</summary>
    private void ParkLocked(ClientWrite write)
    {
        if (_stopping.IsCancellationRequested)
        {
            write.FailUnknown(_databasePath, "was in flight when the process owning its writer went away, and this database closed before it could ask the next owner");
            return;
        }

        if (_inDoubt.Count == 0)
        {
            _inDoubtSince = Stopwatch.GetTimestamp();
        }

        _inDoubt.Add(write);
    }

    /// <summary>Between attempts to take a route: writes that waited <see cref="ResolveTimeout"/> stay unknown.</summary>
    private void FailInDoubtIfTooLong()
    {
        lock (_gate)
        {
            if (_inDoubt.Count == 0 || Stopwatch.GetElapsedTime(_inDoubtSince) < ResolveTimeout)
            {
                return;
            }
        }

        FailInDoubt($"was in flight when the process owning its writer went away, and for {ResolveTimeout.TotalSeconds:0} s no process could be reached to ask (one holds '{DatabaseFile.OwnerFile(_databasePath)}' but does not answer on '{_socketPath}')");
    }

    private void FailInDoubt(string why)
    {
        ClientWrite[] waiting;
        lock (_gate)
        {
            waiting = [.. _inDoubt];
            _inDoubt.Clear();
        }

        foreach (var write in waiting)
        {
            write.FailUnknown(_databasePath, why);
        }
    }
}

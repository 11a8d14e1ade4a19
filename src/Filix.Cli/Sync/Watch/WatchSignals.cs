using System.Threading.Channels;

namespace Filix.Cli.Sync.Watch;

/// <summary>What the daemon's worker has to do next, per domain.</summary>
[Flags]
internal enum WatchWork
{
    None = 0,

    /// <summary>A local commit left changes to push.</summary>
    Push = 1,

    /// <summary>Another machine pushed (a notification), or the safety timer fired.</summary>
    Pull = 2,

    /// <summary>A full sync: migrate the upstream's copy, push, pull (at start, and after the upstream came back).</summary>
    Full = 4,
}

/// <summary>
/// The hand-off between the watchers (local data_version, upstream LISTEN, timers) and the one worker that owns the
/// sync: watchers set flags and wake it; the worker takes a domain's flags and clears them in one step, so a request
/// made while it works is never lost (it is found on the next turn) and many requests become one sync.
/// </summary>
internal sealed class WatchSignals
{
    private readonly int[] _work;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public WatchSignals(IReadOnlyList<string> domains)
    {
        Domains = domains;
        _work = new int[domains.Count];
    }

    public IReadOnlyList<string> Domains { get; }

    public void Request(int domain, WatchWork work)
    {
        Interlocked.Or(ref _work[domain], (int)work);
        _wake.Writer.TryWrite(true);
    }

    /// <summary>A notification's payload is the domain (its Postgres schema) that was pushed to; unknown ones
    /// (another build's domain) are ignored.</summary>
    public void Request(string domain, WatchWork work)
    {
        for (var i = 0; i < Domains.Count; i++)
        {
            if (string.Equals(Domains[i], domain, StringComparison.Ordinal))
            {
                Request(i, work);
            }
        }
    }

    public void RequestAll(WatchWork work)
    {
        for (var i = 0; i < _work.Length; i++)
        {
            Interlocked.Or(ref _work[i], (int)work);
        }

        _wake.Writer.TryWrite(true);
    }

    public WatchWork Take(int domain) => (WatchWork)Interlocked.Exchange(ref _work[domain], 0);

    /// <summary>Waits until something is requested or <paramref name="timeout"/> passes (false then).</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(timer.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

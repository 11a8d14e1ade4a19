namespace Filix.Cli.Sync.Watch;

/// <summary>
/// Exponential backoff with "equal jitter": the n-th delay is a random point in the upper half of
/// min(cap, start·2ⁿ), so machines that lost the same upstream do not all come back in the same millisecond,
/// and a delay is never shorter than half its step.
/// </summary>
internal sealed class Backoff(TimeSpan start, TimeSpan cap)
{
    private int _attempt;

    /// <summary>The next delay; each call doubles the step until it reaches the cap.</summary>
    public TimeSpan Next()
    {
        var step = Math.Min(cap.TotalMilliseconds, start.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        return TimeSpan.FromMilliseconds((step / 2) + (Random.Shared.NextDouble() * step / 2));
    }

    /// <summary>After a success: the next failure starts from <c>start</c> again.</summary>
    public void Reset() => _attempt = 0;
}

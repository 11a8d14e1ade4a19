using Filix.Cli.Sync.Watch;

namespace Filix.Cli.Tests.Sync;

/// <summary>The daemon's small parts on their own: the backoff is exponential, capped and jittered; a request made
/// while the worker runs is never lost, and many requests become one turn.</summary>
public sealed class WatchPartsTests
{
    [Fact]
    public void Backoff_doubles_up_to_its_cap_with_jitter_in_the_upper_half_and_starts_over_after_a_success()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        var steps = new[] { 200.0, 400, 800, 1600, 3200, 5000, 5000, 5000 };
        var delays = new List<double>();
        foreach (var step in steps)
        {
            var delay = backoff.Next().TotalMilliseconds;
            Assert.InRange(delay, step / 2, step);
            delays.Add(delay);
        }

        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 100, 200);

        // Jitter: a thousand delays at the cap are not all the same.
        var atCap = Enumerable.Range(0, 1000).Select(_ => backoff.Next().TotalMilliseconds).ToList();
        Assert.True(atCap.Distinct().Count() > 100, "delays at the cap are spread, so machines do not reconnect in lockstep");
        Assert.All(atCap.Skip(10), d => Assert.InRange(d, 2500, 5000));
    }

    [Fact]
    public async Task A_request_made_while_the_worker_runs_is_found_on_its_next_turn_and_requests_merge()
    {
        var signals = new WatchSignals(["entities", "papers"]);

        signals.Request(0, WatchWork.Push);
        signals.Request("entities", WatchWork.Pull); // a notification's payload
        signals.Request("not-a-domain", WatchWork.Pull); // another build's domain: ignored
        Assert.True(await signals.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(WatchWork.Push | WatchWork.Pull, signals.Take(0));
        Assert.Equal(WatchWork.None, signals.Take(1));

        // The worker is busy (it took the flags); a watcher asks again: the next wait returns at once with it.
        signals.Request(1, WatchWork.Push);
        Assert.True(await signals.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(WatchWork.Push, signals.Take(1));

        // Nothing asked: the wait times out (the safety timer's turn).
        Assert.False(await signals.WaitAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));

        signals.RequestAll(WatchWork.Full);
        Assert.True(await signals.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(WatchWork.Full, signals.Take(0));
        Assert.Equal(WatchWork.Full, signals.Take(1));
    }
}

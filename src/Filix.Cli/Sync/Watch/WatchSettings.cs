namespace Filix.Cli.Sync.Watch;

/// <summary>The daemon's timings. The defaults are what the service runs with; tests shorten none of them.</summary>
internal sealed record WatchSettings
{
    /// <summary>How often each database's <c>PRAGMA data_version</c> is read: a commit by any process is noticed
    /// within this, so it is pushed within about this plus one upstream round trip.</summary>
    public TimeSpan LocalPoll { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Pull (and retry parked rows) this often even without a notification: a safety net for a missed
    /// <c>NOTIFY</c> (they are not queued for a listener that is reconnecting).</summary>
    public TimeSpan SafetyInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry after the upstream fails; each next one doubles, up to <see cref="BackoffCap"/>.</summary>
    public TimeSpan BackoffStart { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the listener waits for a notification before it checks its connection with a round trip,
    /// so a connection that died silently is noticed.</summary>
    public TimeSpan ListenerPing { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>On SIGINT/SIGTERM the batch in flight gets this long to finish before it is cancelled (and rolled back).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(20);
}

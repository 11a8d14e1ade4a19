using System.Diagnostics;
using Filix.Runtime.Sync;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Filix.Cli.Sync.Watch;

/// <summary>
/// Whether the upstream is reachable, as the listener and the worker both see it: the first failure of an outage is
/// logged once (not each retry), and so is the recovery, with how long the outage lasted. Every message goes through
/// <see cref="SyncRedaction"/>. A failure also drops the process's pooled connections, so after a restart the
/// next attempt opens a fresh one instead of failing again on a connection the old server closed.
/// </summary>
internal sealed class UpstreamHealth(string upstream, TimeSpan backoffCap, ILogger logger)
{
    private readonly Lock _lock = new();
    private bool _down;
    private long _downSince;

    public string Description { get; } = SyncRedaction.Describe(upstream);

    public bool IsDown
    {
        get
        {
            lock (_lock)
            {
                return _down;
            }
        }
    }

    public void Failed(string doing, Exception exception)
    {
        ClearPool();
        lock (_lock)
        {
            if (_down)
            {
                logger.LogDebug("Upstream {Upstream} still unreachable ({Doing}): {Message}", Description, doing, SyncRedaction.Message(exception, upstream));
                return;
            }

            _down = true;
            _downSince = Stopwatch.GetTimestamp();
        }

        logger.LogWarning(
            "Upstream {Upstream} unreachable ({Doing}): {Message}. Retrying with backoff (at most every {Cap} s); local writes go on and are pushed when it is back.",
            Description, doing, SyncRedaction.Message(exception, upstream), backoffCap.TotalSeconds);
    }

    public void Succeeded()
    {
        TimeSpan outage;
        lock (_lock)
        {
            if (!_down)
            {
                return;
            }

            _down = false;
            outage = Stopwatch.GetElapsedTime(_downSince);
        }

        logger.LogInformation("Upstream {Upstream} reachable again after {Seconds:0.0} s; catching up.", Description, outage.TotalSeconds);
    }

    /// <summary>Every pool of the process: the engine opens its connections with settings of its own added to the
    /// string (so its pool is not the one of <c>upstream</c>), and a connection the old server closed while it sat idle
    /// would otherwise fail the first sync after the restart and report a second outage.</summary>
    private static void ClearPool() => NpgsqlConnection.ClearAllPools();
}

using Microsoft.Extensions.Logging;
using Npgsql;

namespace Filix.Cli.Sync.Watch;

/// <summary>
/// Holds one connection to the upstream in <c>LISTEN filix</c>: every push commits a <c>pg_notify('filix', domain)</c>,
/// so another machine's push is pulled at once instead of at the next timer. Notifications are not queued for a
/// listener that is not connected, so each (re)connect asks for a pull of every domain: nothing pushed during an
/// outage waits for the safety timer.
/// </summary>
internal sealed class UpstreamListener(string upstream, WatchSignals signals, UpstreamHealth health, WatchSettings settings, ILogger logger)
{
    public const string Channel = "filix";

    /// <summary>Listens until <paramref name="cancellationToken"/> is cancelled; reconnects with backoff when the
    /// connection fails. Catches everything: this loop owns its connection and never ends with a fault.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(settings.BackoffStart, settings.BackoffCap);
        var connectionString = new NpgsqlConnectionStringBuilder(upstream)
        {
            Pooling = false, // its own socket: a listener must not go back to (or come from) the pool the sync uses
            ApplicationName = "filix sync --watch (listen)",
        }.ToString();

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) => signals.Request(e.Payload, WatchWork.Pull);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (var listen = new NpgsqlCommand("LISTEN " + Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                health.Succeeded();
                backoff.Reset();
                logger.LogDebug("Listening on channel {Channel} of {Upstream}", Channel, health.Description);
                signals.RequestAll(WatchWork.Pull);
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(settings.ListenerPing, cancellationToken).ConfigureAwait(false))
                    {
                        // Nothing for a while: one round trip proves the connection is alive (or throws).
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                health.Failed("listening for other machines' pushes", ex);
                try
                {
                    await Task.Delay(backoff.Next(), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}

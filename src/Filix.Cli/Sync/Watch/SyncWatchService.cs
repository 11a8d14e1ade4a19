using Filix.Cli.Domains;
using Filix.Runtime;
using Filix.Runtime.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Filix.Cli.Sync.Watch;

/// <summary>One data folder to keep in sync, as the daemon was started with it.</summary>
internal sealed record WatchedFolder(string DataFolder, string Upstream, SyncSettings Settings);

/// <summary>
/// The daemon for one data folder: opens its shared domain databases, starts a <see cref="LocalChangeWatcher"/> per
/// database and one <see cref="UpstreamListener"/>, and runs every sync itself, one at a time (one writer per
/// database; pushes and pulls never race each other here). A full sync at start and after each outage, a push when a
/// watcher saw local changes, a pull when another machine notified (and on a slow safety timer).
/// </summary>
/// <remarks>
/// Stopping (SIGINT/SIGTERM, or systemd's stop): the watchers stop at once; the batch in flight is finished (it gets
/// <see cref="WatchSettings.DrainTimeout"/>, then is cancelled and rolls back on both sides), then the databases are
/// closed (queued writes committed, WAL checkpointed). Each loop catches everything at its top and every task is
/// awaited before <see cref="ExecuteAsync"/> returns: no fault goes unobserved.
/// </remarks>
internal sealed class SyncWatchService(WatchedFolder folder, WatchSettings settings, WatchExit exit, IHostApplicationLifetime lifetime, ILogger<SyncWatchService> logger) : BackgroundService
{
    private readonly SyncOptions _options = folder.Settings.ToOptions(folder.Upstream);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // let the host finish starting (and tell systemd it is ready) while the databases open
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping while the databases were opening: nothing was in flight.
        }
        catch (Exception ex)
        {
            // Not an upstream outage (those are retried): the data folder cannot be synced by this build as it is.
            logger.LogError("Stopped syncing {Folder}: {Message}", folder.DataFolder, SyncRedaction.Message(ex, folder.Upstream));
            exit.Fail();
            lifetime.StopApplication();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var domains = SyncSetup.SharedDomains.Where(d => d.Schema.SyncTables.Any(_options.Syncs)).ToList();
        var databases = new List<IDomainDatabase>();
        using var watchers = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var tasks = new List<Task>();
        try
        {
            foreach (var domain in domains)
            {
                databases.Add(await domain.OpenAsync(folder.DataFolder, FilixOptions.Default, stoppingToken).ConfigureAwait(false));
            }

            var health = new UpstreamHealth(folder.Upstream, settings.BackoffCap, logger);
            var signals = new WatchSignals([.. domains.Select(d => d.Name)]);
            logger.LogInformation(
                "Syncing {Folder} (machine {Machine}) with {Upstream}: {Domains}",
                folder.DataFolder, folder.Settings.MachineId, health.Description, string.Join(", ", domains.Select(d => d.Name)));

            for (var i = 0; i < domains.Count; i++)
            {
                var index = i;
                var watcher = new LocalChangeWatcher(domains[i].PathIn(folder.DataFolder), domains[i].Schema.SyncTables, _options);
                tasks.Add(KeepRunningAsync($"watching {domains[i].PathIn(folder.DataFolder)}", token => watcher.RunAsync(settings.LocalPoll, () => signals.Request(index, WatchWork.Push), token), watchers.Token));
            }

            tasks.Add(new UpstreamListener(folder.Upstream, signals, health, settings, logger).RunAsync(watchers.Token));
            signals.RequestAll(WatchWork.Full);
            await WorkAsync(databases, signals, health, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await watchers.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tasks).ConfigureAwait(false); // each catches everything: this only waits
            foreach (var database in databases)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }

            logger.LogInformation("Stopped syncing {Folder}.", folder.DataFolder);
        }
    }

    /// <summary>The worker: waits for work (or the safety timer), runs it domain by domain, and on an upstream failure
    /// puts the work back and waits its backoff. Returns when stopping, after the sync in flight finished.</summary>
    private async Task WorkAsync(IReadOnlyList<IDomainDatabase> databases, WatchSignals signals, UpstreamHealth health, CancellationToken stoppingToken)
    {
        var backoff = new Backoff(settings.BackoffStart, settings.BackoffCap);
        var nextSafety = DateTime.UtcNow + settings.SafetyInterval;
        string? lastError = null;
        var firstSync = new bool[databases.Count];
        var caughtUp = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = nextSafety - DateTime.UtcNow;
            if (wait <= TimeSpan.Zero || !await signals.WaitAsync(wait, stoppingToken).ConfigureAwait(false))
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                // Pull what a lost notification did not announce, and retry parked rows (every push retries them).
                signals.RequestAll(WatchWork.Push | WatchWork.Pull);
                nextSafety = DateTime.UtcNow + settings.SafetyInterval;
            }

            for (var i = 0; i < databases.Count && !stoppingToken.IsCancellationRequested; i++)
            {
                var work = signals.Take(i);
                if (work == WatchWork.None)
                {
                    continue;
                }

                try
                {
                    await SyncAsync(databases[i].Database, signals.Domains[i], work, stoppingToken).ConfigureAwait(false);
                    health.Succeeded();
                    backoff.Reset();
                    lastError = null;
                    firstSync[i] |= work.HasFlag(WatchWork.Full);
                    if (!caughtUp && firstSync.All(done => done))
                    {
                        // Once: every database had its first full sync, so from here on a change moves in about a round trip
                        // (what scripts and tests wait for before they measure).
                        caughtUp = true;
                        logger.LogInformation("Caught up: every database of {Folder} synced once; now watching for changes.", folder.DataFolder);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return; // the drain timeout passed: the batch rolled back, and it is retried next start
                }
                catch (Exception ex)
                {
                    // Put the work back (after a failure, a full sync: the upstream may have been migrated meanwhile).
                    signals.Request(i, work | WatchWork.Full);
                    if (SyncSetup.IsUpstreamFailure(ex))
                    {
                        health.Failed($"syncing {signals.Domains[i]}", ex);
                    }
                    else
                    {
                        var message = SyncRedaction.Message(ex, folder.Upstream);
                        if (message != lastError)
                        {
                            logger.LogError("Syncing {Domain} of {Folder} failed: {Message}. Retrying with backoff.", signals.Domains[i], folder.DataFolder, message);
                            lastError = message;
                        }
                    }

                    try
                    {
                        await Task.Delay(backoff.Next(), stoppingToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    break; // start again from the first domain with work
                }
            }
        }
    }

    /// <summary>Runs one domain's work with a token that is cancelled only when a stop has waited
    /// <see cref="WatchSettings.DrainTimeout"/>: a requested stop lets the batch in flight finish.</summary>
    private async Task SyncAsync(FilixDatabase database, string domain, WatchWork work, CancellationToken stoppingToken)
    {
        using var drain = new CancellationTokenSource();
        await using var onStop = stoppingToken.Register(() => drain.CancelAfter(settings.DrainTimeout));
        if (work.HasFlag(WatchWork.Full))
        {
            Log(domain, "sync", await FilixSync.SyncAsync(database, _options, drain.Token).ConfigureAwait(false));
            return;
        }

        if (work.HasFlag(WatchWork.Push))
        {
            Log(domain, "push", await FilixSync.PushAsync(database, _options, drain.Token).ConfigureAwait(false));
        }

        if (work.HasFlag(WatchWork.Pull))
        {
            Log(domain, "pull", await FilixSync.PullAsync(database, _options, drain.Token).ConfigureAwait(false));
        }
    }

    private void Log(string domain, string what, SyncReport report)
    {
        foreach (var table in report.Tables.Where(t => t.Pushed + t.Pulled + t.Parked > 0 || t.Resynced))
        {
            logger.LogInformation(
                "{Domain}.{Table} ({What}): pushed {Pushed}, pulled {Pulled}, parked {Parked}{Resynced}",
                domain, table.Table, what, table.Pushed, table.Pulled, table.Parked, table.Resynced ? " (resynced in full)" : string.Empty);
        }

        if (report.Warning is not null)
        {
            logger.LogWarning("{Domain}: {Warning}", domain, SyncRedaction.Scrub(report.Warning, folder.Upstream));
        }
    }

    /// <summary>Runs a watcher until stopping; when it fails (the file was replaced, a disk error) it is logged and
    /// restarted after a pause. Never throws, so awaiting it only waits.</summary>
    private async Task KeepRunningAsync(string what, Func<CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(settings.BackoffStart, settings.BackoffCap);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await run(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("{What} failed: {Message}. Restarting it.", what, SyncRedaction.Message(ex, folder.Upstream));
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

/// <summary>The daemon's exit code: 0 after a requested stop, 1 when a folder could not be synced at all.</summary>
internal sealed class WatchExit
{
    private int _code;

    public int Code => Volatile.Read(ref _code);

    public void Fail() => Interlocked.Exchange(ref _code, 1);
}

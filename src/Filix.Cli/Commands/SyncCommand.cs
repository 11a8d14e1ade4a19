using System.CommandLine;
using System.Diagnostics;
using Filix.Cli.Domains;
using Filix.Cli.Sync;
using Filix.Cli.Sync.Watch;
using Filix.Runtime;
using Filix.Runtime.Sync;

namespace Filix.Cli.Commands;

/// <summary>
/// <c>filix sync [--upstream CONNSTR] [--watch]</c>: one push and pull of every shared domain database of the data
/// folder (or, with <c>--watch</c>, the daemon that keeps doing it); <c>filix sync enable|disable ENTRY</c>: which
/// optional domains or tables sync from this data folder (<c>filix.sync.json</c>).
/// </summary>
internal static class SyncCommand
{
    public static Command Create(GlobalOptions options)
    {
        var upstream = SyncSetup.UpstreamOption();
        var watch = new Option<bool>("--watch")
        {
            Description = "Keep running: push each local commit (by any process) within ~100 ms, pull as soon as another machine pushes, " +
                "reconnect when the upstream is down, stop cleanly on SIGINT/SIGTERM. Runs under systemd (deploy/systemd/filix-sync.service) or launchd.",
        };
        var command = new Command("sync", "Push this data folder's changes of the shared tables to the Postgres upstream and pull the other machines' changes; print rows pushed, pulled and parked per table.")
        {
            upstream,
            watch,
            SettingsCommand(options, "enable", "Sync an optional domain (all its optional tables) or one domain.table from this data folder, from the next sync on. Rows written meanwhile are pushed then.", SyncSettings.Enable),
            SettingsCommand(options, "disable", "Stop syncing an optional domain or domain.table from this data folder (its rows stay here and upstream).", SyncSettings.Disable),
        };
        CliAction.Set(command, options, context => context.ParseResult.GetValue(watch)
            ? SyncWatchCommand.RunAsync(context, SyncSetup.RequireUpstream(context, upstream))
            : RunOnceAsync(context, SyncSetup.RequireUpstream(context, upstream)));
        return command;
    }

    private static async Task<int> RunOnceAsync(CliContext context, string upstream)
    {
        var watchTime = Stopwatch.StartNew();
        await SyncSetup.ProbeAsync(upstream, context.CancellationToken).ConfigureAwait(false); // before anything changes here
        var folder = context.ResolveDataFolder(create: true);
        var settings = SyncSetup.LoadSettings(folder);
        var options = settings.ToOptions(upstream);

        var domains = new List<DomainSyncReport>();
        foreach (var domain in SyncSetup.SharedDomains)
        {
            domains.Add(await SyncDomainAsync(context, domain, folder, options).ConfigureAwait(false));
        }

        var report = new SyncRunReport
        {
            DataFolder = folder,
            Machine = settings.MachineId,
            Upstream = SyncRedaction.Describe(upstream),
            Domains = domains,
            Seconds = watchTime.Elapsed.TotalSeconds,
        };
        if (context.Json)
        {
            SyncWriter.WriteJson(context.Output, report);
        }
        else
        {
            SyncWriter.WriteText(context.Output, report);
        }

        foreach (var failed in domains.Where(d => d.Error is not null))
        {
            await context.Error.WriteLineAsync($"filix: {failed.Domain}: {failed.Error}").ConfigureAwait(false);
        }

        return report.Ok ? 0 : 1;
    }

    /// <summary>Syncs one domain; a failure is recorded in its report (scrubbed of the password) so the other domains
    /// still sync. A domain none of whose tables syncs here is not opened (nor created).</summary>
    private static async Task<DomainSyncReport> SyncDomainAsync(CliContext context, DomainDefinition domain, string folder, SyncOptions options)
    {
        var path = domain.PathIn(folder);
        if (!domain.Schema.SyncTables.Any(options.Syncs))
        {
            return new DomainSyncReport
            {
                Domain = domain.Name,
                Path = path,
                Tables = [.. domain.Schema.SyncTables.Select(t => new TableSyncReport(t.Name, 0, 0, 0, Skipped: true))],
            };
        }

        var watch = Stopwatch.StartNew();
        context.Progress($"{domain.Name}: syncing {path}");
        try
        {
            await using var database = await domain.OpenAsync(folder, FilixOptions.Default, context.CancellationToken).ConfigureAwait(false);
            var report = await FilixSync.SyncAsync(database.Database, options, context.CancellationToken).ConfigureAwait(false);
            return new DomainSyncReport { Domain = domain.Name, Path = path, Tables = report.Tables, Warning = report.Warning, Seconds = watch.Elapsed.TotalSeconds };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            var error = SyncSetup.IsUpstreamFailure(ex)
                ? $"the upstream {SyncRedaction.Describe(options.Upstream)} failed: {SyncRedaction.Message(ex, options.Upstream)}. " +
                  "Batches that committed are kept and the one in progress was rolled back on both sides; run 'filix sync' again to finish."
                : SyncRedaction.Message(ex, options.Upstream);
            return new DomainSyncReport { Domain = domain.Name, Path = path, Error = error, Seconds = watch.Elapsed.TotalSeconds };
        }
    }

    private static Command SettingsCommand(GlobalOptions options, string name, string description, Func<string, string, IEnumerable<DatabaseSchema>, SyncSettings> change)
    {
        var entry = new Argument<string>("entry") { Description = "An optional domain (music) or domain.table (music.playlists)." };
        var command = new Command(name, description) { entry };
        CliAction.Set(command, options, context =>
        {
            var folder = context.ResolveDataFolder(create: true);
            var given = context.ParseResult.GetValue(entry)!;
            SyncSettings settings;
            try
            {
                settings = change(folder, given, SyncSetup.Schemas);
            }
            catch (FilixException ex) when (!SyncSettings.IsValidEntry(given, SyncSetup.Schemas))
            {
                throw new UsageException(ex.Message); // a name that does not exist: a bad request (exit 2), like an unknown domain
            }

            var options = settings.ToOptions(upstream: string.Empty);
            var report = new SyncSettingsReport
            {
                Command = "sync " + name,
                Settings = settings.Path,
                Machine = settings.MachineId,
                Enabled = settings.Enabled,
                Tables = [.. DomainRegistry.All.SelectMany(d => d.Schema.SyncTables).Where(t => t.Mode == SyncMode.Optional)
                    .Select(t => new OptionalTableState(t.Domain + "." + t.Name, options.Syncs(t)))],
            };
            if (context.Json)
            {
                SyncWriter.WriteJson(context.Output, report);
            }
            else
            {
                SyncWriter.WriteText(context.Output, report);
            }

            return Task.FromResult(0);
        });
        return command;
    }
}

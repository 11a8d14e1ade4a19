using System.CommandLine;
using Filix.Cli.Sync;
using Filix.Runtime;
using Filix.Runtime.Sync;

namespace Filix.Cli.Commands;

/// <summary>
/// <c>filix status [--upstream CONNSTR]</c>: where each shared table of the data folder stands with the upstream:
/// local changes not yet pushed, rows parked and why, the last push and pull, and (when the upstream is given and
/// reachable) how many upstream changes this machine has not pulled yet. Creates no database.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions options)
    {
        var upstream = SyncSetup.UpstreamOption();
        var command = new Command("status", "Sync status of the data folder's shared tables: pending local changes, parked rows and why, last push and pull, and the lag behind the upstream when it is reachable.")
        {
            upstream,
        };
        CliAction.Set(command, options, context => ExecuteAsync(context, SyncSetup.Upstream(context, upstream)));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, string? upstream)
    {
        var folder = context.ResolveDataFolder(create: false);
        var settings = SyncSetup.LoadSettings(folder);
        string? note = null;
        SyncOptions? options = null;
        if (upstream is null)
        {
            note = $"none given (--upstream or {SyncSetup.UpstreamVariable}): the lag behind it is not shown";
        }
        else
        {
            try
            {
                await SyncSetup.ProbeAsync(upstream, context.CancellationToken, "The local state below is shown without the lag behind it.").ConfigureAwait(false);
                options = settings.ToOptions(upstream);
            }
            catch (FilixException ex)
            {
                note = ex.Message;
            }
        }

        var domains = new List<DomainStatusReport>();
        foreach (var domain in SyncSetup.SharedDomains)
        {
            var path = domain.PathIn(folder);
            if (!File.Exists(path))
            {
                domains.Add(new DomainStatusReport { Domain = domain.Name, Path = path, Status = "missing" });
                continue;
            }

            try
            {
                await using var database = await domain.OpenAsync(folder, FilixOptions.Default with { CreateIfMissing = false }, context.CancellationToken).ConfigureAwait(false);
                SyncStatus status;
                try
                {
                    status = await FilixSync.StatusAsync(database.Database, options, context.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (options is not null && SyncSetup.IsUpstreamFailure(ex) && !context.CancellationToken.IsCancellationRequested)
                {
                    // The upstream went away after the probe: the local state is still worth showing.
                    note = "failed while reading the lag behind it: " + SyncRedaction.Message(ex, upstream);
                    options = null;
                    status = await FilixSync.StatusAsync(database.Database, null, context.CancellationToken).ConfigureAwait(false);
                }

                domains.Add(new DomainStatusReport { Domain = domain.Name, Path = path, Status = "present", Tables = status.Tables, Warning = status.Warning });
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
            {
                domains.Add(new DomainStatusReport { Domain = domain.Name, Path = path, Status = "error", Error = SyncRedaction.Message(ex, upstream) });
            }
        }

        var report = new SyncStatusReport
        {
            DataFolder = folder,
            Machine = settings.MachineId,
            Upstream = upstream is null ? null : SyncRedaction.Describe(upstream),
            UpstreamNote = note,
            Domains = domains,
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
}

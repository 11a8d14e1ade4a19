using System.CommandLine;
using System.Diagnostics;
using Filix.Cli.Domains;
using Filix.Cli.Reporting;

namespace Filix.Cli.Commands;

/// <summary><c>filix run</c>: creates the seven databases, fills empty ones, reads them back, and reports.</summary>
internal static class RunCommand
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("run", "Create data/<domain>.db for every domain, fill empty ones with generated data at the seed's sizes, read it back, and report. Databases that hold rows are kept as they are.");
        CliAction.Set(command, options, context => ExecuteAsync(context, seed: true));
        return command;
    }

    /// <summary>Shared with <c>filix report</c>, which passes <paramref name="seed"/> false.</summary>
    public static async Task<int> ExecuteAsync(CliContext context, bool seed)
    {
        var folder = context.ResolveDataFolder(create: seed);
        var watch = Stopwatch.StartNew();
        var domains = new List<DomainReport>();
        foreach (var domain in DomainRegistry.All)
        {
            domains.Add(await DomainInspector.InspectAsync(domain, folder, seed ? context.Scale : null, context.Progress, context.CancellationToken).ConfigureAwait(false));
        }

        var report = new FilixReport { Command = seed ? "run" : "report", DataFolder = folder, Domains = domains, Seconds = watch.Elapsed.TotalSeconds };
        if (context.Json)
        {
            ReportWriter.WriteJson(context.Output, report);
        }
        else
        {
            ReportWriter.WriteText(context.Output, report);
        }

        foreach (var failed in domains.Where(d => d.Error is not null))
        {
            await context.Error.WriteLineAsync($"filix: {failed.Domain}: {failed.Error}").ConfigureAwait(false);
        }

        return report.Ok ? 0 : 1;
    }
}

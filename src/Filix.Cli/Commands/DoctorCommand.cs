using System.CommandLine;
using Filix.Cli.Doctor;
using Filix.Cli.Sync;

namespace Filix.Cli.Commands;

/// <summary>
/// <c>filix doctor [--data DIR] [--full] [--upstream CONNSTR] [--json]</c>: checks every domain database of the data
/// folder (<see cref="DoctorChecks.All"/>) and prints each problem with its fix. Exit 0 when healthy (warnings
/// allowed), 1 when any check found a problem. Changes no data and creates no database.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(GlobalOptions options)
    {
        var full = new Option<bool>("--full") { Description = "Run PRAGMA integrity_check (every index against its table; slower) instead of quick_check" };
        var upstream = SyncSetup.UpstreamOption();
        var command = new Command("doctor", "Check every domain database of the data folder (file system, integrity, journal mode, disk space, WAL size, backups, migrations, last close, sync lag) and print each problem with its fix. Exit 0 when healthy.")
        {
            full,
            upstream,
        };
        CliAction.Set(command, options, context => ExecuteAsync(context, new DoctorOptions(context.ParseResult.GetValue(full), SyncSetup.Upstream(context, upstream))));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, DoctorOptions doctor)
    {
        var folder = context.ResolveDataFolder(create: false);
        var report = await DoctorRunner.RunAsync(folder, doctor, DoctorChecks.All, context.CancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            DoctorWriter.WriteJson(context.Output, report);
        }
        else
        {
            DoctorWriter.WriteText(context.Output, report);
        }

        return report.Healthy ? 0 : 1;
    }
}

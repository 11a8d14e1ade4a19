using System.CommandLine;

namespace Filix.Cli.Commands;

/// <summary><c>filix report</c>: the report alone; creates, migrates and changes nothing. (<c>status</c> was its alias
/// until sync: <c>filix status</c> is now the sync status, StatusCommand.)</summary>
internal static class ReportCommand
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("report", "Report on the domain databases in the data folder (tables, rows, size, journal mode, pending migrations) without changing them: each file is only read; migrations it lacks are listed, not applied (filix migrate applies them).");
        CliAction.Set(command, options, context => RunCommand.ExecuteAsync(context, seed: false));
        return command;
    }
}

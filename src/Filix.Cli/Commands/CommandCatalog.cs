using System.CommandLine;

namespace Filix.Cli.Commands;

/// <summary>Every top-level command. Adding one (such as <c>bench</c>) is one line here: a factory that takes the
/// shared options and returns the command, with its action set through <see cref="CliAction.Set"/>.</summary>
internal static class CommandCatalog
{
    public static IReadOnlyList<Func<GlobalOptions, Command>> All { get; } =
    [
        RunCommand.Create,
        ReportCommand.Create,
        SchemaCommand.Create,
        MigrateCommand.Create,
        MigrationsCommand.Create,
        SyncCommand.Create,
        StatusCommand.Create,
        CheckCommand.Create,
        BackupCommand.Create,
        BackupsCommand.Create,
        RestoreCommand.Create,
        DoctorCommand.Create,
        static options => new Command("bench", "Measure Filix on this machine (docs/benchmarks.md).") { BenchWritersCommand.Create(options), BenchWritersCommand.CreateWorker() },
    ];
}

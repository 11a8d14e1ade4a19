using System.CommandLine;
using System.Globalization;
using Filix.Cli.Domains;
using Filix.Cli.Health;
using Filix.Runtime.Backups;
using Filix.Runtime.Health;

namespace Filix.Cli.Commands;

/// <summary>
/// <c>filix check [--data DIR] [--domain D] [--json]</c>: the full health check of each domain database of the data
/// folder (<see cref="HealthCheck.Full"/>: the header and WAL checks, <c>PRAGMA integrity_check</c> and
/// <c>foreign_key_check</c>) on read-only connections, so it may run while other processes write. Exit code 0 when
/// every database is healthy (a missing one is not a problem: it is created on first use), 1 when a problem is found.
/// Creates and changes nothing.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(GlobalOptions options)
    {
        var domain = MigrateOptions.Domain();
        var command = new Command("check", "Check the health of each domain database (integrity_check, foreign_key_check, header and WAL); exit 1 when a problem is found.") { domain };
        CliAction.Set(command, options, context => ExecuteAsync(context, context.ParseResult.GetValue(domain)));
        return command;
    }

    private static Task<int> ExecuteAsync(CliContext context, string? only)
    {
        var folder = context.ResolveDataFolder(create: false);
        var domains = only is null ? DomainRegistry.All : [DomainRegistry.Find(only)];
        var results = new List<DatabaseCheck>();
        foreach (var domain in domains)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var path = domain.PathIn(folder);
            var health = HealthCheck.Full(path, context.CancellationToken);
            var exists = File.Exists(path);
            var backup = BackupCatalog.LatestVerified(path);
            results.Add(DatabaseCheck.From(
                domain.Name,
                health,
                exists,
                backup is null ? null : $"{backup.TakenAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({backup.FileName})",
                health.IsHealthy ? null : BackupCatalog.RestoreCommand(path)));
        }

        var report = new CheckReport(folder, results);
        if (context.Json)
        {
            CheckWriter.WriteJson(context.Output, report);
        }
        else
        {
            CheckWriter.WriteText(context.Output, report);
        }

        return Task.FromResult(report.Healthy ? 0 : 1);
    }
}

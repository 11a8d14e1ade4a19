using System.CommandLine;
using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Cli.Commands;

/// <summary><c>filix migrations [--domain X] [--upstream CONNSTR]</c>: each database's history and what is pending.</summary>
internal static class MigrationsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var data = options.Data;
        var domain = MigrateOptions.Domain();
        var upstream = MigrateOptions.Upstream();
        var command = new Command("migrations", "Show applied and pending migrations per domain database.") { domain, upstream };
        command.SetAction((result, cancellationToken) => MigrateOptions.ForEachDomainAsync("migrations", result, data, domain, upstream,
            (path, schema, ct) => SqliteMigrations.StatusAsync(path, schema, cancellationToken: ct),
            PostgresMigrations.StatusAsync,
            Print,
            cancellationToken));
        return command;
    }

    private static void Print(DatabaseSchema schema, string where, MigrationReport report)
    {
        Console.WriteLine($"{schema.Domain} ({where}):");
        foreach (var applied in report.Applied)
        {
            Console.WriteLine($"  applied  {applied.Id}_{applied.Name}  {applied.AppliedAt}  {applied.Checksum[..12]}");
        }

        foreach (var adopted in report.Adopted)
        {
            Console.WriteLine($"  adopt    {adopted}  (made before migrations; its schema matches)");
        }

        foreach (var pending in report.Pending)
        {
            Console.WriteLine($"  pending  {pending}  {pending.Checksum[..12]}");
        }
    }
}

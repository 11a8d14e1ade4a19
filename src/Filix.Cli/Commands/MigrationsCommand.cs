using System.CommandLine;
using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Cli.Commands;

/// <summary><c>filix migrations [--domain X] [--upstream CONNSTR]</c>: each database's history and what is pending.</summary>
internal static class MigrationsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var domain = MigrateOptions.Domain();
        var upstream = MigrateOptions.Upstream();
        var command = new Command("migrations", "Show applied and pending migrations per domain database.") { domain, upstream };
        CliAction.Set(command, options, context => MigrateOptions.ForEachDomainAsync(context, "migrations",
            context.ParseResult.GetValue(domain), context.ParseResult.GetValue(upstream), dryRun: true,
            (path, schema, ct) => SqliteMigrations.StatusAsync(path, schema, cancellationToken: ct),
            PostgresMigrations.StatusAsync,
            Print));
        return command;
    }

    private static void Print(TextWriter output, DatabaseSchema schema, string where, MigrationReport report)
    {
        output.WriteLine($"{schema.Domain} ({where}):");
        foreach (var applied in report.Applied)
        {
            output.WriteLine($"  applied  {applied.Id}_{applied.Name}  {applied.AppliedAt}  {applied.Checksum[..12]}");
        }

        foreach (var adopted in report.Adopted)
        {
            output.WriteLine($"  adopt    {adopted}  (made before migrations; its schema matches)");
        }

        foreach (var pending in report.Pending)
        {
            output.WriteLine($"  pending  {pending}  {pending.Checksum[..12]}");
        }
    }
}

using System.CommandLine;
using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Cli.Commands;

/// <summary><c>filix migrate [--dry-run] [--domain X] [--upstream CONNSTR]</c>: applies pending migrations
/// (what opening a database does anyway), or with --dry-run prints their SQL and changes nothing.</summary>
internal static class MigrateCommand
{
    public static Command Create(GlobalOptions options)
    {
        var domain = MigrateOptions.Domain();
        var upstream = MigrateOptions.Upstream();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the SQL of the pending migrations; change nothing." };
        var command = new Command("migrate", "Upgrade the domain databases (and the Postgres upstream) to this build's schema.") { domain, upstream, dryRun };
        CliAction.Set(command, options, context =>
        {
            var dry = context.ParseResult.GetValue(dryRun);
            return MigrateOptions.ForEachDomainAsync(context, "migrate", context.ParseResult.GetValue(domain), context.ParseResult.GetValue(upstream), dry,
                (path, schema, ct) => SqliteMigrations.MigrateAsync(path, schema, dry, cancellationToken: ct),
                (connection, schema, ct) => PostgresMigrations.MigrateAsync(connection, schema, dry, ct),
                (output, schema, where, report) => Print(output, schema, where, report, where == "upstream" ? m => m.PostgresSql : m => m.SqliteSql));
        });
        return command;
    }

    private static void Print(TextWriter output, DatabaseSchema schema, string where, MigrationReport report, Func<Migration, string> dialectSql)
    {
        foreach (var adopted in report.Adopted)
        {
            output.WriteLine($"{schema.Domain} ({where}): {(report.DryRun ? "would adopt" : "adopted")} {adopted} (the database already had its schema)");
        }

        if (report.Pending.Count == 0 && report.Adopted.Count == 0)
        {
            output.WriteLine($"{schema.Domain} ({where}): up to date");
        }

        foreach (var migration in report.Pending)
        {
            output.WriteLine($"{schema.Domain} ({where}): {(report.DryRun ? "would apply" : "applied")} {migration}");
            if (report.DryRun)
            {
                output.WriteLine(dialectSql(migration));
            }
        }
    }
}

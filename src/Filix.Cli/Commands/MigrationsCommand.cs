using System.CommandLine;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Npgsql;

namespace Filix.Cli.Commands;

/// <summary><c>filix migrations [--domain X] [--upstream CONNSTR]</c>: each database's history and what is pending.</summary>
internal static class MigrationsCommand
{
    public static Command Create()
    {
        var data = MigrateOptions.Data();
        var domain = MigrateOptions.Domain();
        var upstream = MigrateOptions.Upstream();
        var command = new Command("migrations", "Show applied and pending migrations per domain database.") { data, domain, upstream };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var connectionString = result.GetValue(upstream);
                foreach (var schema in MigrateOptions.Select(result.GetValue(domain)))
                {
                    var path = Path.Combine(result.GetValue(data)!.FullName, schema.FileName);
                    Print(schema, path, await SqliteMigrations.StatusAsync(path, schema, cancellationToken: cancellationToken).ConfigureAwait(false));
                    if (connectionString is not null)
                    {
                        await using var connection = new NpgsqlConnection(connectionString);
                        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                        Print(schema, "upstream", await PostgresMigrations.StatusAsync(connection, schema, cancellationToken).ConfigureAwait(false));
                    }
                }

                return 0;
            }
            catch (FilixException ex)
            {
                await Console.Error.WriteLineAsync("filix migrations: " + ex.Message).ConfigureAwait(false);
                return 1;
            }
        });
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

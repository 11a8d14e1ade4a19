using System.CommandLine;
using Filix.Cli.Backups;
using Filix.Runtime;
using Filix.Runtime.Backups;

namespace Filix.Cli.Commands;

/// <summary><c>filix backups [--domain D] [--json]</c>: the backups of each domain database, newest first: when,
/// how old, size, verified, why, and the row counts recorded when it was verified.</summary>
internal static class BackupsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var domain = MigrateOptions.Domain();
        var command = new Command("backups", "List the backups of the domain databases (newest first): age, size, verified, why taken, row counts.")
        {
            domain,
        };
        CliAction.Set(command, options, context => ExecuteAsync(context, context.ParseResult.GetValue(domain)));
        return command;
    }

    private static Task<int> ExecuteAsync(CliContext context, string? domain)
    {
        var now = DateTimeOffset.UtcNow;
        var listed = new List<(string Domain, string Path, IReadOnlyList<BackupEntry> Entries, string? Error)>();
        foreach (var (name, path) in BackupTargets.Resolve(context, domain, mustExist: false))
        {
            try
            {
                listed.Add((name, path, BackupCatalog.List(path), null));
            }
            catch (FilixException ex)
            {
                listed.Add((name, path, [], ex.Message));
            }
        }

        if (context.Json)
        {
            BackupPrinter.Json(context.Output, json =>
            {
                json.WriteStartArray();
                foreach (var (name, _, entries, _) in listed)
                {
                    foreach (var entry in entries)
                    {
                        BackupPrinter.WriteEntry(json, name, entry, now);
                    }
                }

                json.WriteEndArray();
            });
        }
        else
        {
            foreach (var (name, path, entries, error) in listed)
            {
                if (error is not null)
                {
                    context.Output.WriteLine($"{name,-12} {error}");
                }
                else if (entries.Count == 0)
                {
                    if (File.Exists(path) || domain is not null)
                    {
                        context.Output.WriteLine($"{name,-12} no backup yet: take one with 'filix backup --domain {name}'");
                    }
                }
                else
                {
                    foreach (var entry in entries)
                    {
                        BackupPrinter.Text(context.Output, name, entry, now);
                    }
                }
            }
        }

        foreach (var (name, _, _, error) in listed.Where(l => l.Error is not null))
        {
            context.Error.WriteLine($"filix: {name}: {error}");
        }

        return Task.FromResult(listed.Any(l => l.Error is not null) ? 1 : 0);
    }
}

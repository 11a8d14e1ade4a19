using System.CommandLine;
using Filix.Cli.Backups;
using Filix.Runtime;
using Filix.Runtime.Backups;

namespace Filix.Cli.Commands;

/// <summary><c>filix backup [--domain D] [--method backup-api|vacuum-into]</c>: a verified, compressed backup of each
/// domain database (or one) while writers keep writing, listed in <c>&lt;data&gt;/backups/&lt;domain&gt;/manifest.json</c>;
/// older backups pruned by the retention policy (hourly for 24 h, daily for 7 days, weekly for 4 weeks).</summary>
internal static class BackupCommand
{
    public static Command Create(GlobalOptions options)
    {
        var domain = MigrateOptions.Domain();
        var method = new Option<string>("--method")
        {
            Description = "How to copy: backup-api (SQLite's online backup, the default) or vacuum-into (compacted, more CPU).",
            DefaultValueFactory = _ => "backup-api",
        };
        method.AcceptOnlyFromAmong("backup-api", "vacuum-into");
        var command = new Command("backup", "Back up the domain databases now (consistent while writers write), verify each copy (integrity_check, row counts), compress it and list it in the data folder's backups/ manifest; prune older backups by the retention policy.")
        {
            domain,
            method,
        };
        CliAction.Set(command, options, context => ExecuteAsync(context, context.ParseResult.GetValue(domain), context.ParseResult.GetValue(method) == "vacuum-into" ? BackupMethod.VacuumInto : BackupMethod.BackupApi));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, string? domain, BackupMethod method)
    {
        var targets = BackupTargets.Resolve(context, domain, mustExist: true);
        var taken = new List<(string Domain, BackupEntry Entry)>();
        var failed = 0;
        foreach (var (name, path) in targets)
        {
            try
            {
                context.Progress($"backing up {path} ...");
                taken.Add((name, await FilixBackup.TakeAsync(path, new BackupOptions { Method = method }, context.CancellationToken).ConfigureAwait(false)));
            }
            catch (FilixException ex)
            {
                failed++;
                await context.Error.WriteLineAsync($"filix: {name}: {ex.Message}").ConfigureAwait(false);
            }
        }

        var now = DateTimeOffset.UtcNow;
        if (context.Json)
        {
            BackupPrinter.Json(context.Output, json =>
            {
                json.WriteStartArray();
                foreach (var (name, entry) in taken)
                {
                    BackupPrinter.WriteEntry(json, name, entry, now);
                }

                json.WriteEndArray();
            });
        }
        else
        {
            foreach (var (name, entry) in taken)
            {
                BackupPrinter.Text(context.Output, name, entry, now);
            }
        }

        return failed == 0 ? 0 : 1;
    }
}

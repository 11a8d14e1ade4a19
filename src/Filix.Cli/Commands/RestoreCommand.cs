using System.CommandLine;
using Filix.Cli.Backups;
using Filix.Runtime.Backups.Restore;

namespace Filix.Cli.Commands;

/// <summary><c>filix restore &lt;backup-file&gt;|--latest [--domain D]</c>: puts a backup back in place of a domain
/// database. Refuses while a process has the database open (naming it), checks the backup first (a corrupted one is
/// refused with the next good one named), keeps the replaced file aside, and reports what the restore undid, per
/// table, and which of it the upstream still has.</summary>
internal static class RestoreCommand
{
    public static Command Create(GlobalOptions options)
    {
        var file = new Argument<string?>("backup-file") { Description = "The backup to restore (a .db.gz from 'filix backups'); or use --latest.", Arity = ArgumentArity.ZeroOrOne };
        var latest = new Option<bool>("--latest") { Description = "Restore the newest backup that passes its checks." };
        var domain = new Option<string?>("--domain") { Description = "The domain database to restore (inferred from the backup file's folder when a file is given)." };
        var command = new Command("restore", "Replace a domain database with a backup: refuses while it is open, checks the backup, keeps the replaced file aside, and reports what was lost.")
        {
            file,
            latest,
            domain,
        };
        CliAction.Set(command, options, context => ExecuteAsync(context, context.ParseResult.GetValue(file), context.ParseResult.GetValue(latest), context.ParseResult.GetValue(domain)));
        return command;
    }

    private static Task<int> ExecuteAsync(CliContext context, string? file, bool latest, string? domain)
    {
        if (latest == (file is not null))
        {
            throw new UsageException("give either a backup file or --latest (and --domain), not both or neither.");
        }

        // A backup file names its domain by its folder (<data>/backups/<domain>/...).
        domain ??= file is null ? null : Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file)));
        if (domain is null)
        {
            throw new UsageException("--latest needs --domain: which database to restore.");
        }

        var target = BackupTargets.Resolve(context, domain, mustExist: false)[0];
        var report = FilixRestore.Restore(target.Path, file, cancellationToken: context.CancellationToken);
        var now = DateTimeOffset.UtcNow;
        if (context.Json)
        {
            BackupPrinter.Json(context.Output, json => BackupPrinter.WriteRestore(json, target.Domain, report, now));
        }
        else
        {
            BackupPrinter.Restore(context.Output, report, now);
        }

        return Task.FromResult(0);
    }
}

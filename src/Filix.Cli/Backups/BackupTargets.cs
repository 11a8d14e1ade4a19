using Filix.Cli.Commands;
using Filix.Cli.Domains;

namespace Filix.Cli.Backups;

/// <summary>The databases a backup command works on: one domain's (<c>--domain</c>) or every domain's present in
/// the data folder.</summary>
internal static class BackupTargets
{
    public static IReadOnlyList<(string Domain, string Path)> Resolve(CliContext context, string? domain, bool mustExist)
    {
        var folder = context.ResolveDataFolder(create: false);
        if (domain is not null)
        {
            var one = DomainRegistry.Find(domain);
            return [(one.Name, one.PathIn(folder))];
        }

        var present = DomainRegistry.All.Select(d => (d.Name, d.PathIn(folder))).Where(t => !mustExist || File.Exists(t.Item2)).ToList();
        return present.Count > 0
            ? present
            : throw new Runtime.FilixException($"There is no domain database in '{folder}' (expected files such as {DomainRegistry.All[0].Schema.FileName}). Check --data.", folder);
    }
}

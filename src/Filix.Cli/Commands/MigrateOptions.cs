using System.CommandLine;
using Filix.Runtime;

namespace Filix.Cli.Commands;

/// <summary>The options `filix migrate` and `filix migrations` share, and the domains they act on.</summary>
internal static class MigrateOptions
{
    /// <summary>Every compiled domain schema (with its embedded migrations).</summary>
    public static readonly IReadOnlyList<DatabaseSchema> Domains = [Filix.Domains.Entities.EntitiesSchema.Definition];

    public static Option<DirectoryInfo> Data() => new("--data") { Description = "The data folder holding <domain>.db files.", DefaultValueFactory = _ => new DirectoryInfo("data") };

    public static Option<string?> Domain() => new("--domain") { Description = "Only this domain (default: all)." };

    public static Option<string?> Upstream() => new("--upstream") { Description = "A Postgres connection string: also migrate (or show) the shared upstream." };

    /// <summary>The selected domains, or an error naming the known ones.</summary>
    public static IReadOnlyList<DatabaseSchema> Select(string? domain)
    {
        if (domain is null)
        {
            return Domains;
        }

        return Domains.Where(d => d.Domain == domain).ToList() is { Count: > 0 } selected
            ? selected
            : throw new FilixException($"Unknown domain '{domain}'. Known domains: {string.Join(", ", Domains.Select(d => d.Domain))}.");
    }
}

using System.CommandLine;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Npgsql;

namespace Filix.Cli.Commands;

/// <summary>The options `filix migrate` and `filix migrations` share, and the domains they act on.</summary>
internal static class MigrateOptions
{
    /// <summary>Every compiled domain schema (with its embedded migrations).</summary>
    public static IReadOnlyList<DatabaseSchema> Domains { get; } = [.. Filix.Cli.Domains.DomainRegistry.All.Select(d => d.Schema)];

    public static Option<string?> Domain() => new("--domain") { Description = "Only this domain (default: all)." };

    public static Option<string?> Upstream() => new("--upstream") { Description = "A Postgres connection string: also migrate (or show) the shared upstream." };

    /// <summary>Runs <paramref name="sqlite"/> on each selected domain's file and, with --upstream, <paramref name="postgres"/>
    /// on the upstream; prints each report; a <see cref="FilixException"/> becomes its message and exit code 1.</summary>
    public static async Task<int> ForEachDomainAsync(
        string command,
        ParseResult result,
        Option<string> data,
        Option<string?> domain,
        Option<string?> upstream,
        Func<string, DatabaseSchema, CancellationToken, Task<MigrationReport>> sqlite,
        Func<NpgsqlConnection, DatabaseSchema, CancellationToken, Task<MigrationReport>> postgres,
        Action<DatabaseSchema, string, MigrationReport> print,
        CancellationToken cancellationToken)
    {
        try
        {
            var connectionString = result.GetValue(upstream);
            foreach (var schema in Select(result.GetValue(domain)))
            {
                var path = Path.Combine(Path.GetFullPath(result.GetValue(data)!), schema.FileName);
                print(schema, path, await sqlite(path, schema, cancellationToken).ConfigureAwait(false));
                if (connectionString is not null)
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    print(schema, "upstream", await postgres(connection, schema, cancellationToken).ConfigureAwait(false));
                }
            }

            return 0;
        }
        catch (FilixException ex)
        {
            await Console.Error.WriteLineAsync($"filix {command}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

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

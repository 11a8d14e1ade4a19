using System.CommandLine;
using Filix.Cli.Domains;
using Filix.Cli.Reporting;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Npgsql;

namespace Filix.Cli.Commands;

/// <summary>The options <c>filix migrate</c> and <c>filix migrations</c> share, and the loop over the domains they act on.</summary>
internal static class MigrateOptions
{
    private const string Connecting = "to connect";

    public static Option<string?> Domain() => new("--domain") { Description = "Only this domain (default: all)." };

    public static Option<string?> Upstream() => new("--upstream") { Description = "A Postgres connection string: also migrate (or show) the shared upstream." };

    /// <summary>
    /// Runs <paramref name="sqlite"/> on each selected domain's file in the data folder (which must exist) and, with
    /// --upstream, <paramref name="postgres"/> on the upstream; prints each report with <paramref name="print"/>, or
    /// with --json one document of them all. Failures are thrown for <see cref="CliAction"/> to report: an unknown
    /// domain is a <see cref="UsageException"/>, an unreachable upstream a <see cref="FilixException"/> naming --upstream.
    /// </summary>
    public static async Task<int> ForEachDomainAsync(
        CliContext context,
        string command,
        string? domainName,
        string? connectionString,
        bool dryRun,
        Func<string, DatabaseSchema, CancellationToken, Task<MigrationReport>> sqlite,
        Func<NpgsqlConnection, DatabaseSchema, CancellationToken, Task<MigrationReport>> postgres,
        Action<TextWriter, DatabaseSchema, string, MigrationReport> print)
    {
        var domains = domainName is null ? DomainRegistry.All : [DomainRegistry.Find(domainName)];
        var folder = context.ResolveDataFolder(create: false);
        var cancellationToken = context.CancellationToken;

        // Opened before any file is touched, so an unreachable upstream fails with nothing changed.
        await using var connection = connectionString is null ? null : await OpenUpstreamAsync(connectionString, cancellationToken).ConfigureAwait(false);
        var databases = new List<DatabaseMigrations>();
        foreach (var domain in domains)
        {
            var path = domain.PathIn(folder);
            Report(path, await sqlite(path, domain.Schema, cancellationToken).ConfigureAwait(false));

            if (connection is not null)
            {
                try
                {
                    Report("upstream", await postgres(connection, domain.Schema, cancellationToken).ConfigureAwait(false));
                }
                catch (NpgsqlException ex)
                {
                    throw UpstreamFailed(connectionString!, ex, $"on {domain.Name}",
                        "Its transaction was rolled back; the databases reported above are done, so running the command again finishes the rest.");
                }
            }

            void Report(string where, MigrationReport report)
            {
                if (context.Json)
                {
                    databases.Add(DatabaseMigrations.From(domain.Name, where, report));
                }
                else
                {
                    print(context.Output, domain.Schema, where, report);
                }
            }
        }

        if (context.Json)
        {
            ReportWriter.WriteJson(context.Output, new MigrationsReport { Command = command, DataFolder = folder, DryRun = dryRun, Databases = databases });
        }

        return 0;
    }

    private static async Task<NpgsqlConnection> OpenUpstreamAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = new NpgsqlConnection(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--upstream is not a valid Postgres connection string: {ex.Message.TrimEnd('.')}. Give one such as 'Host=localhost;Port=5432;Database=filix;Username=filix;Password=...'.");
        }

        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (NpgsqlException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw UpstreamFailed(connectionString, ex, Connecting, "Nothing was changed.");
        }
    }

    /// <summary>One line that names the --upstream setting (without its password), what failed and what to check.</summary>
    private static FilixException UpstreamFailed(string connectionString, NpgsqlException ex, string doing, string consequence)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var cause = ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} ({inner.Message})" : ex.Message;
        var check = ex is PostgresException && doing != Connecting
            ? "Check that the user in --upstream may create the domain's schema (named after the domain) in that database, or that it exists and is granted to the user, and may create and change tables in it."
            : "Check that Postgres is running and reachable at that host and port, and that the database, user and password in --upstream are right.";
        return new FilixException(
            $"The Postgres upstream given by --upstream (host {settings.Host ?? "localhost"}, port {settings.Port}, database {settings.Database ?? "(the user's)"}, " +
            $"user {settings.Username ?? "(the login user)"}) failed {doing}: {cause.ReplaceLineEndings(" ").TrimEnd('.')}. {check} {consequence}",
            innerException: ex);
    }
}

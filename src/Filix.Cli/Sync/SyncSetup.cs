using System.CommandLine;
using Filix.Cli.Commands;
using Filix.Cli.Domains;
using Filix.Runtime;
using Filix.Runtime.Sync;
using Npgsql;

namespace Filix.Cli.Sync;

/// <summary>
/// What every sync command needs before it touches a database: the upstream (<c>--upstream</c>, else
/// <c>FILIX_UPSTREAM</c>), checked to be a connection string, and the data folder's settings (machine id, enabled
/// optional tables). Messages describe the upstream with <see cref="SyncRedaction"/>, never with its password.
/// </summary>
internal static class SyncSetup
{
    public const string UpstreamVariable = "FILIX_UPSTREAM";

    public static Option<string?> UpstreamOption() => new("--upstream")
    {
        Description = $"The Postgres upstream's connection string (default: ${UpstreamVariable}). Its password is never printed.",
        HelpName = "CONNSTR",
    };

    /// <summary>The upstream given by <paramref name="option"/> or the environment; null when neither is set.</summary>
    public static string? Upstream(CliContext context, Option<string?> option)
    {
        var given = context.ParseResult.GetValue(option);
        if (string.IsNullOrWhiteSpace(given))
        {
            given = Environment.GetEnvironmentVariable(UpstreamVariable);
        }

        if (string.IsNullOrWhiteSpace(given))
        {
            return null;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(given);
        }
        catch (ArgumentException ex)
        {
            var source = string.IsNullOrWhiteSpace(context.ParseResult.GetValue(option)) ? UpstreamVariable : "--upstream";
            throw new UsageException(
                $"{source} is not a valid Postgres connection string: {SyncRedaction.Scrub(ex.Message, given).TrimEnd('.')}. " +
                "Give one such as 'Host=localhost;Port=5432;Database=filix;Username=filix;Password=...'.");
        }

        return given;
    }

    /// <summary>The upstream, or a usage error saying how to give one.</summary>
    public static string RequireUpstream(CliContext context, Option<string?> option) =>
        Upstream(context, option) ?? throw new UsageException(
            $"no upstream to sync with: give --upstream 'Host=...;Database=...;Username=...' or set {UpstreamVariable} (docs/cli.md, \"filix sync\").");

    /// <summary>The shared domains, with the schemas the settings are checked against.</summary>
    public static IReadOnlyList<DomainDefinition> SharedDomains => DomainRegistry.All.Where(d => d.Schema.SyncTables.Count > 0).ToList();

    public static IEnumerable<DatabaseSchema> Schemas => DomainRegistry.All.Select(d => d.Schema);

    public static SyncSettings LoadSettings(string dataFolder) => SyncSettings.Load(dataFolder, Schemas);

    /// <summary>Opens one connection to the upstream and closes it: an unreachable upstream fails here, before any
    /// database is touched, with one line naming it (redacted) and what to check.</summary>
    public static async Task ProbeAsync(string upstream, CancellationToken cancellationToken, string consequence = "Nothing was changed.")
    {
        try
        {
            await using var connection = new NpgsqlConnection(upstream);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUpstreamFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(upstream, ex, consequence);
        }
    }

    /// <summary>
    /// A failure of the upstream being there (the network, the server stopping or restarting, too many connections),
    /// as opposed to a refusal by a running server (a missing right, a missing database) or a local problem: the
    /// daemon reports these once per outage and retries them quietly. Npgsql's "Connection is not open" is one too: a
    /// connection the server closed under a command.
    /// </summary>
    public static bool IsUpstreamFailure(Exception ex) => ex switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) // shutdown, crash, starting up
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal), // too many connections, out of resources
        NpgsqlException or System.Net.Sockets.SocketException or TimeoutException => true,
        InvalidOperationException when ex.Source == "Npgsql" => true,
        IOException when ex.InnerException is System.Net.Sockets.SocketException => true,
        FilixException or AggregateException when ex.InnerException is { } inner => IsUpstreamFailure(inner),
        _ => false,
    };

    public static FilixException Unreachable(string upstream, Exception ex, string consequence) => new(
        $"The Postgres upstream {SyncRedaction.Describe(upstream)} is unreachable: {SyncRedaction.Message(ex, upstream)}. " +
        $"Check that Postgres is running and reachable at that host and port, and that the database, user and password in --upstream (or {UpstreamVariable}) are right. {consequence}");
}

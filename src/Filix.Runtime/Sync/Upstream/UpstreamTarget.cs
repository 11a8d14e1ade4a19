using Npgsql;

namespace Filix.Runtime.Sync.Upstream;

/// <summary>The upstream as messages name it: <c>host:port/database (user …)</c>, never the password.</summary>
internal static class UpstreamTarget
{
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"upstream {b.Host}:{b.Port}/{b.Database} (user {b.Username})";
        }
        catch (ArgumentException)
        {
            return "upstream (connection string not readable)";
        }
    }

    /// <summary>Opens the upstream; a failure names it (redacted) and what to check.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            // Error details name the conflicting key and value (a parked row's reason, kept in the local database and
            // shown by filix status); Npgsql leaves them out unless asked.
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { IncludeErrorDetail = true };
            connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or System.Net.Sockets.SocketException)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw new FilixException(
                $"Cannot connect to {Describe(connectionString)}: {ex.Message}. Check that Postgres runs and the connection string (--upstream or FILIX_UPSTREAM) is right; nothing was synced.",
                innerException: ex);
        }
    }
}

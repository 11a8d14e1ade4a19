using Npgsql;

namespace Filix.Runtime.Sync.Upstream;

/// <summary>
/// A machine and the upstream may be one migration apart. Behind (the upstream lacks migrations this build has): the
/// build applies them before syncing (<see cref="UpstreamInstall"/>). Ahead (the upstream has migrations this build
/// does not know): the machine keeps syncing the columns it knows, since every statement names only those, and is
/// told to upgrade; migrating would be refused anyway (<see cref="Migrations.MigrationHistory.Pending"/>).
/// </summary>
internal static class SchemaSkew
{
    /// <summary>The warning when the upstream is ahead (null otherwise), and whether it lacks migrations of this build.</summary>
    public static async Task<(string? Warning, bool Behind)> CompareAsync(NpgsqlConnection connection, DatabaseSchema schema, string where, CancellationToken cancellationToken)
    {
        var (warning, applied) = await ReadAsync(connection, schema, where, cancellationToken).ConfigureAwait(false);
        return (warning, schema.Migrations.Any(m => !applied.Contains(m.Id)));
    }

    /// <summary>The warning when the upstream is ahead; null otherwise.</summary>
    public static async Task<string?> CheckAsync(NpgsqlConnection connection, DatabaseSchema schema, string where, CancellationToken cancellationToken) =>
        (await ReadAsync(connection, schema, where, cancellationToken).ConfigureAwait(false)).Warning;

    private static async Task<(string? Warning, HashSet<string> Applied)> ReadAsync(NpgsqlConnection connection, DatabaseSchema schema, string where, CancellationToken cancellationToken)
    {
        var history = SqlNames.Quote(schema.PostgresSchema) + "." + Migrations.MigrationHistory.QuotedTable;
        var exists = await UpstreamCommands.ScalarAsync(connection, "SELECT to_regclass($1) IS NOT NULL", cancellationToken, history).ConfigureAwait(false) is true;
        var applied = new HashSet<string>(StringComparer.Ordinal);
        if (!exists)
        {
            return (null, applied);
        }

        var known = schema.Migrations.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = new List<string>();
        await using (var command = UpstreamCommands.Create(connection, $"SELECT \"id\" || '_' || \"name\", \"id\" FROM {history} WHERE \"domain\" = $1 ORDER BY \"id\"", schema.Domain))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetString(1));
                if (!known.Contains(reader.GetString(1)))
                {
                    unknown.Add(reader.GetString(0));
                }
            }
        }

        return (unknown.Count == 0
            ? null
            : $"{where} has migration{(unknown.Count == 1 ? string.Empty : "s")} {string.Join(", ", unknown)} of domain '{schema.Domain}' that this build does not know: " +
              "this machine syncs the columns it knows (newer columns keep their upstream values) and should be upgraded to the build that made them.", applied);
    }
}

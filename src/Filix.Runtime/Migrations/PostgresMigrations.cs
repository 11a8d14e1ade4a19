using Npgsql;

namespace Filix.Runtime.Migrations;

/// <summary>
/// Applies a domain's migrations to the Postgres upstream (its shared tables). The history lives in
/// <c>_filix_migrations</c> keyed by domain, so one upstream database can hold several domains. Pending migrations
/// run in one transaction under a transaction-scoped advisory lock per domain, so concurrent migrators apply each
/// migration once; the data checks run before a migration's first statement.
/// </summary>
public static class PostgresMigrations
{
    public static async Task<MigrationReport> MigrateAsync(NpgsqlConnection connection, DatabaseSchema schema, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(schema);
        MigrationHistory.CheckComplete(schema);
        var where = MigrationTarget.Upstream(connection);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockDomain = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection) { Parameters = { new() { Value = "filix:" + schema.Domain } } })
        {
            await lockDomain.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Looked up as it is created below: unqualified, so through the search_path (not always "public").
        var exists = await ScalarAsync(connection, $"SELECT to_regclass('{MigrationHistory.QuotedTable}') IS NOT NULL", cancellationToken).ConfigureAwait(false) is true;
        if (!exists && !dryRun)
        {
            await ExecuteAsync(connection,
                $"CREATE TABLE {MigrationHistory.QuotedTable} (\"domain\" text NOT NULL, \"id\" text NOT NULL, \"name\" text NOT NULL, \"checksum\" text NOT NULL, " +
                "\"applied_at\" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (\"domain\", \"id\"))", cancellationToken).ConfigureAwait(false);
        }

        var applied = exists ? await ReadHistoryAsync(connection, schema.Domain, cancellationToken).ConfigureAwait(false) : new List<AppliedMigration>();
        var pending = MigrationHistory.Pending(schema, applied, where);
        var report = new MigrationReport(applied, pending, Array.Empty<Migration>(), dryRun);
        if (dryRun || pending.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return report;
        }

        // Filix's foreign keys are DEFERRABLE INITIALLY DEFERRED (sync batches arrive in any table order), but an
        // UPDATE leaves deferred trigger events that make a later ALTER TABLE on the table fail: check them at once.
        await ExecuteAsync(connection, "SET CONSTRAINTS ALL IMMEDIATE", cancellationToken).ConfigureAwait(false);
        foreach (var migration in pending)
        {
            await PostgresChecks.RunAsync(connection, migration, where, cancellationToken).ConfigureAwait(false);

            try
            {
                await ExecuteAsync(connection, migration.PostgresSql, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw new FilixException(
                    $"Migration {migration} failed on {where}: {ex.MessageText}{(ex.TableName is null ? string.Empty : $" (table {ex.TableName}{(ex.ColumnName is null ? string.Empty : "." + ex.ColumnName)})")}. " +
                    "Nothing was changed (the transaction was rolled back). The statements are in the build output's migrations folder: " +
                    "fix what the message names and migrate again, or report it with that file.", innerException: ex);
            }

            await using var insert = new NpgsqlCommand(
                $"INSERT INTO {MigrationHistory.QuotedTable} (\"domain\", \"id\", \"name\", \"checksum\") VALUES ($1, $2, $3, $4)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = schema.Domain });
            insert.Parameters.Add(new NpgsqlParameter { Value = migration.Id });
            insert.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
            insert.Parameters.Add(new NpgsqlParameter { Value = migration.Checksum });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return report;
    }

    public static Task<MigrationReport> StatusAsync(NpgsqlConnection connection, DatabaseSchema schema, CancellationToken cancellationToken = default) =>
        MigrateAsync(connection, schema, dryRun: true, cancellationToken);

    private static async Task<List<AppliedMigration>> ReadHistoryAsync(NpgsqlConnection connection, string domain, CancellationToken cancellationToken)
    {
        var rows = new List<AppliedMigration>();
        await using var command = new NpgsqlCommand(
            $"SELECT \"id\", \"name\", \"checksum\", to_char(\"applied_at\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM {MigrationHistory.QuotedTable} WHERE \"domain\" = $1 ORDER BY \"id\"", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = domain });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new AppliedMigration(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}

using Filix.Runtime.Postgres;
using Npgsql;

namespace Filix.Runtime.Migrations;

/// <summary>
/// Applies a domain's migrations to the Postgres upstream (its shared tables). Each domain lives in its own Postgres
/// schema, named after it (<see cref="DatabaseSchema.PostgresSchema"/>), so one upstream database holds several
/// domains, even with tables of the same name. The migrations' SQL is unqualified and runs with
/// <c>SET LOCAL search_path</c> to that schema. The history <c>_filix_migrations</c> is in that schema too: the record
/// of what was applied sits beside what it describes, so dropping or restoring a domain's schema takes its history
/// with it, and a role granted one domain's schema can migrate it without rights on a shared table. Pending
/// migrations run in one transaction under a transaction-scoped advisory lock per domain, so concurrent migrators
/// apply each migration once; the data checks run before a migration's first statement.
/// </summary>
public static class PostgresMigrations
{
    public static async Task<MigrationReport> MigrateAsync(NpgsqlConnection connection, DatabaseSchema schema, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(schema);
        MigrationHistory.CheckComplete(schema);
        var quotedSchema = UpstreamLayout.Quote(schema.PostgresSchema);
        var historyTable = UpstreamLayout.HistoryTable(schema);
        var where = MigrationTarget.Upstream(connection, quotedSchema);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockDomain = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection) { Parameters = { new() { Value = "filix:" + schema.Domain } } })
        {
            await lockDomain.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await UpstreamLayout.RefuseEarlierLayoutAsync(connection, schema, where, cancellationToken).ConfigureAwait(false);

        // Created only when missing: CREATE SCHEMA needs the CREATE right on the database even with IF NOT EXISTS,
        // and a schema an administrator created (and granted) beforehand should be enough.
        var schemaExists = await ScalarAsync(connection, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", cancellationToken, schema.PostgresSchema).ConfigureAwait(false) is true;
        if (!schemaExists && !dryRun)
        {
            try
            {
                await ExecuteAsync(connection, $"CREATE SCHEMA {quotedSchema}", cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new FilixException(
                    $"{where} has no schema {quotedSchema} for domain '{schema.Domain}', and user '{connection.UserName}' may not create it ({ex.MessageText}). " +
                    $"Nothing was changed. Have an administrator create it for that user (CREATE SCHEMA {quotedSchema} AUTHORIZATION {UpstreamLayout.Quote(connection.UserName ?? "<user>")};), then migrate again.",
                    innerException: ex);
            }
        }

        // Only the domain's schema on the path (pg_catalog is always searched): an unqualified name in a migration
        // can reach no other domain's table. LOCAL: the connection's own search_path is back after the transaction.
        await ExecuteAsync(connection, $"SET LOCAL search_path TO {quotedSchema}", cancellationToken).ConfigureAwait(false);
        var exists = schemaExists && await ScalarAsync(connection, $"SELECT to_regclass('{historyTable}') IS NOT NULL", cancellationToken).ConfigureAwait(false) is true;
        if (!exists && !dryRun)
        {
            // "domain" is redundant in a schema of one domain; kept so the table has the shape it always had (an
            // upstream whose search_path was a schema named after its one domain is already in this layout).
            await ExecuteAsync(connection,
                $"CREATE TABLE {historyTable} (\"domain\" text NOT NULL, \"id\" text NOT NULL, \"name\" text NOT NULL, \"checksum\" text NOT NULL, " +
                "\"applied_at\" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (\"domain\", \"id\"))", cancellationToken).ConfigureAwait(false);
        }

        var applied = exists ? await ReadHistoryAsync(connection, historyTable, schema.Domain, cancellationToken).ConfigureAwait(false) : new List<AppliedMigration>();
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
                $"INSERT INTO {historyTable} (\"domain\", \"id\", \"name\", \"checksum\") VALUES ($1, $2, $3, $4)", connection);
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

    private static async Task<List<AppliedMigration>> ReadHistoryAsync(NpgsqlConnection connection, string historyTable, string domain, CancellationToken cancellationToken)
    {
        var rows = new List<AppliedMigration>();
        await using var command = new NpgsqlCommand(
            $"SELECT \"id\", \"name\", \"checksum\", to_char(\"applied_at\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM {historyTable} WHERE \"domain\" = $1 ORDER BY \"id\"", connection);
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

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}

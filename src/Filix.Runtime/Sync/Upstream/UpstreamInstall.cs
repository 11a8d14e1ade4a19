using Filix.Runtime.Migrations;
using Npgsql;

namespace Filix.Runtime.Sync.Upstream;

/// <summary>
/// Brings a domain's upstream schema to what sync needs: first the domain's recorded Postgres migrations
/// (<see cref="PostgresMigrations"/>; skipped when the upstream is ahead of this build, see <see cref="SchemaSkew"/>),
/// then the bookkeeping columns, trigger and tables, in one transaction under the domain's advisory lock. Idempotent
/// and checked first against the catalog, so an installed upstream takes no DDL lock on every sync.
/// </summary>
internal static class UpstreamInstall
{
    /// <summary>Migrates and installs as needed; returns the skew warning when the upstream is newer.</summary>
    public static async Task<string?> EnsureAsync(NpgsqlConnection connection, DatabaseSchema schema, IReadOnlyList<UpstreamSql> tables, string where, CancellationToken cancellationToken)
    {
        var (warning, behind) = await SchemaSkew.CompareAsync(connection, schema, where, cancellationToken).ConfigureAwait(false);
        if (warning is null && behind)
        {
            // Behind: this build's pending migrations first. Up to date (every sync but the first after an upgrade):
            // nothing to lock or migrate, which keeps a watcher's push to a few round trips.
            await PostgresMigrations.MigrateAsync(connection, schema, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (tables.Count == 0 || await InstalledAsync(connection, schema, tables, cancellationToken).ConfigureAwait(false))
        {
            return warning;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await UpstreamCommands.ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", cancellationToken, "filix:" + schema.Domain).ConfigureAwait(false);

        // Checked again under the lock: another machine may have installed while this one waited for the lock. Its
        // DDL again (ALTER TABLE takes an ACCESS EXCLUSIVE lock even when every column exists) would deadlock with
        // that machine's pull, which holds its tables' share locks in its own order (convergence seed 3).
        if (await InstalledAsync(connection, schema, tables, cancellationToken).ConfigureAwait(false))
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return warning;
        }

        foreach (var statement in Statements(schema, tables))
        {
            try
            {
                await UpstreamCommands.ExecuteAsync(connection, statement, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw new FilixException(
                    $"Installing sync's bookkeeping for domain '{schema.Domain}' on {where} failed: {ex.MessageText}" +
                    $"{(ex.TableName is null ? string.Empty : $" (table {ex.TableName})")}. Nothing was changed. The role needs CREATE and ALTER on schema " +
                    $"{SqlNames.Quote(schema.PostgresSchema)} (its owner can grant it), then sync again.", innerException: ex);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return warning;
    }

    /// <summary>True when every table has its bookkeeping columns and trigger and the side tables exist.</summary>
    private static async Task<bool> InstalledAsync(NpgsqlConnection connection, DatabaseSchema schema, IReadOnlyList<UpstreamSql> tables, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relname = ANY ($2) AND a.attname = '_filix_xid' AND NOT a.attisdropped)
                 + (SELECT count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relname = ANY ($2) AND g.tgname = '_filix_stamp')
                 + (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relname IN ('_filix_tombstones', '_filix_machines', '_filix_horizon'))
            """;
        var names = tables.Select(t => t.Table.Name).ToArray();
        var found = await UpstreamCommands.ScalarAsync(connection, Sql, cancellationToken, schema.PostgresSchema, names).ConfigureAwait(false);
        return Convert.ToInt64(found, System.Globalization.CultureInfo.InvariantCulture) == (2L * names.Length) + 3;
    }

    private static IEnumerable<string> Statements(DatabaseSchema schema, IReadOnlyList<UpstreamSql> tables)
    {
        var s = SqlNames.Quote(schema.PostgresSchema);

        // An insert is stamped by the columns' defaults; the sync's own upserts set _filix_xid and synced_at
        // themselves. The trigger is for every other UPDATE (a tool writing upstream directly): it must move the row
        // to the writing transaction's xid too, which is what puts it in the next pull window. Its WHEN clause skips
        // rows already stamped, so the bulk merge pays no PL/pgSQL call per row. synced_at is the pushing
        // transaction's start time, informational only: never a cursor.
        yield return $"""
            CREATE OR REPLACE FUNCTION {s}."_filix_stamp"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW."_filix_xid" := pg_current_xact_id(); NEW."synced_at" := now(); RETURN NEW; END $$
            """;
        yield return $"""
            CREATE OR REPLACE FUNCTION {s}."_filix_stamp_tombstone"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW."xid" := pg_current_xact_id(); NEW."synced_at" := now(); RETURN NEW; END $$
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS {s}."_filix_tombstones" ("tbl" text NOT NULL, "pk" text NOT NULL, "version" bigint NOT NULL, "origin" text NOT NULL,
                "synced_at" timestamptz NOT NULL DEFAULT now(), "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(), PRIMARY KEY ("tbl", "pk"))
            """;
        yield return $"""CREATE INDEX IF NOT EXISTS "_filix_tombstones_xid" ON {s}."_filix_tombstones" ("tbl", "xid")""";
        yield return $"""DROP TRIGGER IF EXISTS "_filix_stamp" ON {s}."_filix_tombstones" """;
        yield return $"""CREATE TRIGGER "_filix_stamp" BEFORE UPDATE ON {s}."_filix_tombstones" FOR EACH ROW WHEN (NEW."xid" IS NOT DISTINCT FROM OLD."xid") EXECUTE FUNCTION {s}."_filix_stamp_tombstone"()""";

        // Compaction's input: how far each machine has pulled each table, and when.
        yield return $"""
            CREATE TABLE IF NOT EXISTS {s}."_filix_machines" ("machine" text NOT NULL, "tbl" text NOT NULL, "pulled_xid" xid8,
                "pulled_at" timestamptz, "pushed_at" timestamptz, PRIMARY KEY ("machine", "tbl"))
            """;
        yield return $"""CREATE TABLE IF NOT EXISTS {s}."_filix_horizon" ("tbl" text PRIMARY KEY, "xid" xid8 NOT NULL, "compacted_at" timestamptz NOT NULL DEFAULT now())""";

        foreach (var table in tables)
        {
            var t = table.Qualified;
            var name = table.Table.Name;
            yield return $"""
                ALTER TABLE {t} ADD COLUMN IF NOT EXISTS "_filix_pk" text, ADD COLUMN IF NOT EXISTS "_filix_version" bigint NOT NULL DEFAULT 0,
                    ADD COLUMN IF NOT EXISTS "synced_from" text, ADD COLUMN IF NOT EXISTS "synced_at" timestamptz NOT NULL DEFAULT now(),
                    ADD COLUMN IF NOT EXISTS "_filix_xid" xid8 NOT NULL DEFAULT pg_current_xact_id()
                """;
            yield return $"""CREATE UNIQUE INDEX IF NOT EXISTS {SqlNames.Quote("_filix_pk_" + name)} ON {t} ("_filix_pk")""";
            yield return $"""CREATE INDEX IF NOT EXISTS {SqlNames.Quote("_filix_xid_" + name)} ON {t} ("_filix_xid")""";
            yield return $"""DROP TRIGGER IF EXISTS "_filix_stamp" ON {t}""";
            yield return $"""CREATE TRIGGER "_filix_stamp" BEFORE UPDATE ON {t} FOR EACH ROW WHEN (NEW."_filix_xid" IS NOT DISTINCT FROM OLD."_filix_xid") EXECUTE FUNCTION {s}."_filix_stamp"()""";
        }
    }
}

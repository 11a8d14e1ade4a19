using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Migrations;

/// <summary>
/// Brings a SQLite file to the code's schema: a new file gets every migration, an existing one its pending ones,
/// all in one transaction taken with BEGIN IMMEDIATE (so two processes opening at once apply them exactly once:
/// the second waits for the lock, then finds nothing pending). Foreign keys are off for the duration (they cannot be
/// switched inside a transaction, and a table rebuild drops and recreates referenced tables) and checked with
/// PRAGMA foreign_key_check before COMMIT. A database Filix did not create, one of another domain, one newer than
/// the code, or one whose applied migrations were edited is refused before anything is written.
/// </summary>
internal static partial class SqliteMigrator
{
    internal const string MetaTable = "_filix_meta";

    public static MigrationReport Ensure(SqliteSession writer, DatabaseSchema schema, string path, bool dryRun = false)
    {
        if (schema.Migrations.Count == 0)
        {
            return EnsureUnversioned(writer, schema, path, dryRun);
        }

        MigrationHistory.CheckComplete(schema);
        if (!dryRun)
        {
            // Most opens find nothing to do: look first under a read transaction, so an up-to-date database is
            // opened without waiting for the write lock another process may hold.
            var look = Ensure(writer, schema, path, dryRun: true);
            if (look.Pending.Count == 0 && look.Adopted.Count == 0)
            {
                return look with { DryRun = false };
            }

            writer.Execute("PRAGMA foreign_keys = OFF");
        }

        writer.Execute(dryRun ? "BEGIN" : "BEGIN IMMEDIATE");
        try
        {
            var hasMeta = CheckOwnership(writer, schema, path);
            var applied = HasTable(writer, MigrationHistory.Table) ? ReadHistory(writer) : new List<AppliedMigration>();
            var adopted = new List<Migration>();
            if (hasMeta && applied.Count == 0)
            {
                adopted = Adopt(writer, schema, path);
            }

            var pending = MigrationHistory.Pending(schema, applied, MigrationTarget.File(path)).Where(m => !adopted.Contains(m)).ToList();
            var report = new MigrationReport(applied, pending, adopted, dryRun);
            if (dryRun || (pending.Count == 0 && adopted.Count == 0))
            {
                writer.Execute("ROLLBACK");
                return report;
            }

            if (!hasMeta)
            {
                CreateMeta(writer, schema);
            }

            writer.Execute($"CREATE TABLE IF NOT EXISTS {MigrationHistory.QuotedTable} (\"id\" TEXT NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL, \"checksum\" TEXT NOT NULL, \"applied_at\" TEXT NOT NULL) STRICT");
            foreach (var migration in adopted)
            {
                Record(writer, migration);
            }

            foreach (var migration in pending)
            {
                Apply(writer, migration, path);
            }

            CheckForeignKeys(writer, path, pending);
            SetMeta(writer, "schema_hash", schema.Migrations[^1].SchemaHash);
            writer.Execute("COMMIT");
            return report;
        }
        catch
        {
            Rollback(writer);
            throw;
        }
        finally
        {
            if (!dryRun)
            {
                writer.Execute("PRAGMA foreign_keys = ON");
            }
        }
    }

    private static void Apply(SqliteSession writer, Migration migration, string path)
    {
        foreach (var check in MigrationCheck.Parse(migration.SqliteSql))
        {
            var rows = Convert.ToInt64(writer.Scalar(check.CountSql), System.Globalization.CultureInfo.InvariantCulture);
            if (rows > 0)
            {
                throw check.Failure(migration, MigrationTarget.File(path), rows);
            }
        }

        // A rebuild drops the old table and with it its triggers: keep them, and put back the ones that vanished.
        var triggers = Triggers(writer);
        try
        {
            writer.Execute(migration.SqliteSql);
            var left = Triggers(writer).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var trigger in triggers.Where(t => !left.Contains(t.Name) && HasTable(writer, t.Table)))
            {
                writer.Execute(trigger.Sql);
            }
        }
        catch (SqliteException ex)
        {
            throw new FilixException(
                $"Migration {migration} failed on '{path}': {ex.Message}. Nothing was changed (the transaction was rolled back). " +
                "The statements are in the build output's migrations folder; report this with that file.", path, ex);
        }

        Record(writer, migration);
    }

    /// <summary>Rolls back, keeping the original error: SQLite has already rolled back after some failures, and
    /// a second ROLLBACK would then replace the real error with "no transaction is active".</summary>
    private static void Rollback(SqliteSession writer)
    {
        try
        {
            writer.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
        }
    }

    private static void Record(SqliteSession writer, Migration migration)
    {
        var insert = writer.Command($"INSERT INTO {MigrationHistory.QuotedTable} (\"id\", \"name\", \"checksum\", \"applied_at\") VALUES ($p0, $p1, $p2, $p3)", 4);
        insert.Parameters[0].Value = migration.Id;
        insert.Parameters[1].Value = migration.Name;
        insert.Parameters[2].Value = migration.Checksum;
        insert.Parameters[3].Value = (string)SqliteValues.Timestamp(DateTimeOffset.UtcNow);
        insert.ExecuteNonQuery();
    }

    private static void CheckForeignKeys(SqliteSession writer, string path, List<Migration> applied)
    {
        using var command = writer.Connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_key_check";
        using var reader = command.ExecuteReader();
        var problems = new List<string>();
        while (reader.Read() && problems.Count < 5)
        {
            problems.Add($"{reader.GetString(0)} row {(reader.IsDBNull(1) ? "?" : reader.GetValue(1))} -> {reader.GetString(2)}");
        }

        if (problems.Count > 0)
        {
            throw new FilixException(
                $"Migrations {string.Join(", ", applied)} would leave rows of '{path}' pointing at missing rows ({string.Join("; ", problems)}). " +
                "Nothing was changed. Fix or delete those rows, then open the database again.", path);
        }
    }

    private static List<AppliedMigration> ReadHistory(SqliteSession session)
    {
        var rows = new List<AppliedMigration>();
        using var command = session.Connection.CreateCommand();
        command.CommandText = $"SELECT \"id\", \"name\", \"checksum\", \"applied_at\" FROM {MigrationHistory.QuotedTable} ORDER BY \"id\"";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new AppliedMigration(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }

    private static List<(string Name, string Table, string Sql)> Triggers(SqliteSession session)
    {
        var triggers = new List<(string, string, string)>();
        using var command = session.Connection.CreateCommand();
        command.CommandText = "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger' AND sql IS NOT NULL";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            triggers.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return triggers;
    }
}

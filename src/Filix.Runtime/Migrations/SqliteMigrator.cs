using Filix.Runtime.Sqlite;
using Filix.Runtime.Sync.Local;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Migrations;

/// <summary>
/// Brings a SQLite file to the code's schema: a new file gets every migration, an existing one its pending ones,
/// all in one transaction taken with BEGIN IMMEDIATE (so two processes opening at once apply them exactly once:
/// the second waits for the lock, then finds nothing pending). Foreign keys are off for the duration (they cannot be
/// switched inside a transaction, and a table rebuild drops and recreates referenced tables) and checked with
/// PRAGMA foreign_key_check before COMMIT. Every statement runs and is checked on its own
/// (<see cref="SqliteStatements"/>), views and triggers survive table rebuilds (SqliteMigrator.Objects.cs), and
/// before COMMIT the schema must equal a new database's (SqliteMigrator.SelfCheck.cs). A database Filix did not
/// create, one of another domain, one newer than the code, or one whose applied migrations were edited is refused
/// before anything is written.
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
            if (look.Pending.Count == 0 && look.Adopted.Count == 0 && CaptureInstall.IsCurrent(writer.Connection, schema))
            {
                return look with { DryRun = false };
            }

            Backups.MigrationBackup.BeforeMigrating(path, look);
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
                // Nothing to migrate, but change capture may be missing (a database made before sync, or whose
                // triggers another tool dropped) or older than this build's: installed in the same write lock.
                if (!dryRun && !CaptureInstall.IsCurrent(writer.Connection, schema))
                {
                    CaptureInstall.Install(writer.Connection, schema);
                    writer.Execute("COMMIT");
                    return report;
                }

                writer.Execute("ROLLBACK");
                return report;
            }

            if (!hasMeta)
            {
                CreateMeta(writer, schema);
            }

            var tablesBefore = Tables(writer.Connection);
            var objectsBefore = ViewsAndTriggers(writer);
            writer.Execute($"CREATE TABLE IF NOT EXISTS {MigrationHistory.QuotedTable} (\"id\" TEXT NOT NULL PRIMARY KEY, \"name\" TEXT NOT NULL, \"checksum\" TEXT NOT NULL, \"applied_at\" TEXT NOT NULL) STRICT");
            foreach (var migration in adopted)
            {
                Record(writer, migration);
            }

            SqliteFunctions.Register(writer.Connection); // the data checks' REGEXP
            var removed = new List<string>();
            foreach (var migration in pending)
            {
                Apply(writer, migration, path, removed);
            }

            // Capture after the migrations (a rebuilt shared table lost its triggers with it; a new one has none),
            // before the checks, so the self-check sees the triggers and nothing commits without them.
            CaptureInstall.Install(writer.Connection, schema);
            CheckForeignKeys(writer, path, pending);
            if (pending.Count > 0)
            {
                CheckSchema(writer, schema, path, pending, tablesBefore);
                CheckViewsAndTriggers(writer, path, pending, objectsBefore, removed);
            }

            report = report with { Removed = removed };
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

    /// <summary>Runs one migration: its data checks, then each statement on its own (a failure names the
    /// statement), with the views and triggers set aside after the leading renames and put back at the end.</summary>
    private static void Apply(SqliteSession writer, Migration migration, string path, List<string> removed)
    {
        foreach (var check in MigrationCheck.Parse(migration.SqliteSql))
        {
            var rows = Convert.ToInt64(writer.Scalar(check.CountSql), System.Globalization.CultureInfo.InvariantCulture);
            if (rows > 0)
            {
                throw check.Failure(migration, MigrationTarget.File(path), rows, Examples(writer, check.ExamplesSql));
            }
        }

        SetAside? aside = null;
        try
        {
            SqliteStatements.Run(writer.Connection, migration.SqliteSql, statement =>
            {
                if (aside is null && !SqliteStatements.KeepsViewsAndTriggers(statement))
                {
                    aside = SetAsideViewsAndTriggers(writer);
                }
            });
        }
        catch (StatementFailedException ex)
        {
            var statement = SqliteStatements.WithoutLeadingComments(ex.Statement);
            throw new FilixException(
                $"Migration {migration} failed on '{path}' at its statement {ex.Number}, {Excerpt(statement)}: SQLite says \"{MigrationCheck.Sentence(ex.Reason)}\". " +
                $"Nothing was changed (the transaction was rolled back, the migration is not recorded). {Advice(ex)}",
                path, ex.Error);
        }

        if (aside is not null)
        {
            PutBack(writer, aside, migration, path, removed);
        }

        Record(writer, migration);
    }

    /// <summary>What to do about a statement SQLite refused: the data's fault (a constraint) or the file's.</summary>
    private static string Advice(StatementFailedException ex) => ex.Error.SqliteErrorCode switch
    {
        19 => "Existing rows break a constraint the migration adds: fix or delete those rows (or change the YAML so the migration keeps them), then open the database again.",
        9 => "The migration was interrupted; open the database again to migrate.",
        _ => "The statements are in the build output's migrations folder (and schema/migrations): report this with that file; the database stays usable with the previous build.",
    };

    /// <summary>The first line of a statement, for a message.</summary>
    private static string Excerpt(string statement)
    {
        var line = statement.Split('\n')[0].Trim().TrimEnd(';').TrimEnd();
        return "`" + (line.Length > 160 ? line[..160] + "…" : line) + "`";
    }

    /// <summary>Up to three of the values a failed check counted.</summary>
    private static List<string> Examples(SqliteSession writer, string? sql)
    {
        var examples = new List<string>();
        if (sql is null)
        {
            return examples;
        }

        using var command = writer.Connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (examples.Count < 3 && reader.Read())
        {
            var values = Enumerable.Range(0, reader.FieldCount).Select(i => MigrationCheck.Show(reader.GetValue(i))).ToList();
            examples.Add(values.Count == 1 ? values[0] : "(" + string.Join(", ", values) + ")");
        }

        return examples;
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
}

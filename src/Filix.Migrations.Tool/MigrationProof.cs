using Filix.Generators.Migrations;
using Filix.Generators.Model;
using Filix.Generators.Sql;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Microsoft.Data.Sqlite;

namespace Filix.Migrations.Tool;

/// <summary>
/// Proves a planned migration applies before it is recorded (issue 10, defect 8: a migration that no database can
/// apply, once recorded and checksummed, leaves the domain's history stuck). The previous migrations are applied to
/// a scratch SQLite file, three rows are put in each table, and the new one is applied through the runtime's own
/// migrator, as an open would. Rows the migration's data checks refuse by design (a column becoming NOT NULL
/// without a default on a table with rows, a reference the seeded values do not meet, ...) are removed first: that
/// refusal happens at open, on real data.
/// </summary>
internal static class MigrationProof
{
    private const int Rows = 3;

    /// <returns>Null when the migration applies; otherwise what failed.</returns>
    public static string? Check(HistoryFolder history, DomainSpec? recorded, DomainSpec desired, PlannedMigration plan)
    {
        var folder = Path.Combine(Path.GetTempPath(), "filix-proof-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, desired.Name + ".db");
        try
        {
            var previous = history.Migrations.Select(m =>
            {
                var sqlite = File.ReadAllText(m.SqlitePath);
                return new Migration(m.Id, m.Name, m.Checksum, MigrationScript.ReadSchemaHash(sqlite) ?? string.Empty, sqlite, File.ReadAllText(m.PostgresPath));
            }).ToList();
            if (recorded is not null && previous.Count > 0)
            {
                Wait(SqliteMigrations.MigrateAsync(path, Schema(recorded, previous[^1].SchemaHash, previous)));
                Seed(path, recorded, plan);
            }

            var next = new Migration(plan.Id, plan.Name, plan.Checksum, plan.SchemaHash, plan.SqliteSql, plan.PostgresSql);
            Wait(SqliteMigrations.MigrateAsync(path, Schema(desired, plan.SchemaHash, [.. previous, next])));
            return null;
        }
        catch (Exception ex) when (ex is FilixException or SqliteException)
        {
            return ex.Message.Replace(path, "the scratch database", StringComparison.Ordinal).TrimEnd('.');
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Wait(Task<MigrationReport> task) => task.GetAwaiter().GetResult();

    /// <summary>What generated code would hand the runtime at that state: its DDL too, since the migrator's
    /// self-check compares the migrated file with a new database made from it.</summary>
    private static DatabaseSchema Schema(DomainSpec spec, string hash, IReadOnlyList<Migration> migrations)
    {
        var artifacts = SchemaArtifacts.For(spec);
        return new()
        {
            Domain = spec.Name,
            SchemaHash = hash,
            SourceFile = artifacts.SourceFile,
            Tables = artifacts.Tables,
            SqliteDdl = artifacts.SqliteDdl,
            PostgresDdl = artifacts.PostgresDdl,
            Migrations = migrations,
        };
    }

    /// <summary>Rows 1..3 in every table: each column holds the value for its row number and type, so a reference
    /// (same type, FLX0018) finds its row, and unique columns stay unique. A table whose rows do not fit (a
    /// constraint this simple fill cannot meet) is left empty, with the rows that would point into it: the proof then
    /// covers its shape only.</summary>
    private static void Seed(string path, DomainSpec recorded, PlannedMigration plan)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        SqliteFunctions.Register(connection); // the data checks below use REGEXP, as the migrator's do
        Execute(connection, "PRAGMA foreign_keys = OFF");
        foreach (var table in recorded.Tables)
        {
            var columns = table.Columns.ToList();
            var insert = $"INSERT INTO {SqlDialect.Quote(table.Name)} ({SqlDialect.ColumnList(columns.Select(c => c.Name))}) VALUES ";
            var rows = Enumerable.Range(1, Rows).Select(i => "(" + string.Join(", ", columns.Select(c => Value(c.Type, i))) + ")");
            try
            {
                Execute(connection, insert + string.Join(", ", rows));
            }
            catch (SqliteException)
            {
            }
        }

        // A table left empty leaves rows of its children pointing at nothing: they go too (and so on down), so the
        // seeded rows meet every foreign key, as the rows of a real database do.
        while (Dangling(connection) is { Count: > 0 } dangling)
        {
            foreach (var (table, rowid) in dangling)
            {
                Execute(connection, $"DELETE FROM {SqlDialect.Quote(table)}" + (rowid is null ? string.Empty : $" WHERE rowid = {rowid}"));
            }
        }

        // A data check that counts seeded rows is a refusal by design (it names the rows at open): prove on empty
        // tables. So is a new or changed reference: the seeded values need not be in the column it now names (a new
        // one holds NULLs), and the migrator's foreign-key check names such rows at open.
        if (plan.Operations.Any(o => o is AlterColumnOperation { ChangesReference: true, New.References: not null } or AddColumnOperation { Column.References: not null, Column.Default: not null })
            || plan.SqliteSql.Split('\n').Where(l => l.StartsWith("-- filix:check ", StringComparison.Ordinal)).Any(line => Count(connection, line.Split('|', 4)[^1]) > 0))
        {
            foreach (var table in recorded.Tables)
            {
                Execute(connection, "DELETE FROM " + SqlDialect.Quote(table.Name));
            }
        }
    }

    /// <summary>The rows PRAGMA foreign_key_check reports (rowid null: a table without rowids, emptied whole).</summary>
    private static List<(string Table, long? Rowid)> Dangling(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_key_check";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, long?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        }

        return rows;
    }

    private static long Count(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Value(ColumnType type, int i) => type switch
    {
        ColumnType.Integer => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ColumnType.Real => i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".5",
        ColumnType.Boolean => (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ColumnType.Blob => $"x'0{i}'",
        ColumnType.Timestamp => $"'2024-01-0{i}T00:00:00.0000000Z'",
        ColumnType.Date => $"'2024-01-0{i}'",
        ColumnType.Json => $"'[{i}]'",
        ColumnType.Uuid => $"'00000000-0000-0000-0000-00000000000{i}'",
        _ => $"'{i}'",
    };

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

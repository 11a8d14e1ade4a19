using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Backups;

/// <summary>What opening a copy and checking it found.</summary>
internal sealed record VerifyResult(bool Ok, string Integrity, IReadOnlyDictionary<string, long> RowCounts, string SchemaHash);

/// <summary>
/// Opens a database copy and checks it: <c>PRAGMA integrity_check</c> (every page, every index against its table),
/// the rows per table, and the schema hash Filix recorded. Used on every backup before it is listed, and on every
/// backup before a restore trusts it. The copy is also switched to rollback journal mode (the page copy carries the
/// source's WAL flag in its header), so a restored file opens with no -wal or -shm of its own.
/// </summary>
internal static class BackupVerifier
{
    public static VerifyResult Verify(string copyPath)
    {
        try
        {
            using var connection = SnapshotCopy.Open(copyPath, SqliteOpenMode.ReadWrite);
            SnapshotCopy.Execute(connection, "PRAGMA journal_mode = DELETE");
            var problems = new List<string>();
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check(20)";
                using var reader = check.ExecuteReader();
                while (reader.Read())
                {
                    problems.Add(reader.GetString(0));
                }
            }

            var integrity = problems.Count == 1 && problems[0] == "ok" ? "ok" : string.Join("; ", problems);
            if (integrity != "ok")
            {
                return new VerifyResult(false, integrity, new Dictionary<string, long>(), "");
            }

            return new VerifyResult(true, "ok", CountRows(connection), SchemaHash(connection));
        }
        catch (SqliteException ex)
        {
            return new VerifyResult(false, "cannot be opened: " + ex.Message, new Dictionary<string, long>(), "");
        }
    }

    public static SortedDictionary<string, long> CountRows(SqliteConnection connection, string schema = "main")
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in Tables(connection, schema))
        {
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM {SqlNames.Quote(schema)}.{SqlNames.Quote(table)}";
            counts[table] = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    /// <summary>The ordinary tables of <paramref name="schema"/>, SQLite's own excluded.</summary>
    public static List<string> Tables(SqliteConnection connection, string schema = "main")
    {
        var tables = new List<string>();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM {SqlNames.Quote(schema)}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static string SchemaHash(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_filix_meta') THEN 1 ELSE 0 END";
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return "";
        }

        command.CommandText = "SELECT \"value\" FROM \"_filix_meta\" WHERE \"key\" = 'schema_hash'";
        return command.ExecuteScalar() as string ?? "";
    }
}

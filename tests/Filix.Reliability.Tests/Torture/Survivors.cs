using Filix.Reliability.Worker;
using Filix.Runtime;
using Microsoft.Data.Sqlite;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// What must hold after a kill: the file opens, <c>PRAGMA integrity_check</c> says <c>ok</c>, and every id a dead child
/// acknowledged is stored exactly once (the table has no unique key, so a write committed twice would show).
/// </summary>
internal static class Survivors
{
    /// <summary>A plain connection, as the next process would open it (it recovers the WAL of a dead writer).</summary>
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static string IntegrityCheck(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("; ", lines);
    }

    /// <summary>Checks the dead <paramref name="children"/> against the file while others may still be writing it.</summary>
    public static void Check(string path, IReadOnlyCollection<TortureChild> children, string context)
    {
        if (!File.Exists(path))
        {
            // Killed before the first of them created it: then none can have acknowledged anything.
            Assert.All(children, c => Assert.True(c.Acked().Count == 0, $"{context}: acknowledgements without a database file: {c.Describe()}"));
            return;
        }

        using var connection = Open(path);
        var integrity = IntegrityCheck(connection);
        Assert.True(integrity == "ok", $"{context}: integrity_check after the kill: {integrity}");
        if (!HasItems(connection))
        {
            // The file exists but no child got as far as creating the table (it is created in one transaction).
            Assert.All(children, c => Assert.True(c.Acked().Count == 0, $"{context}: acknowledgements without a table: {c.Describe()}"));
            return;
        }

        foreach (var child in children)
        {
            Assert.True(child.Error is null, $"{context}: a child failed on its own: {child.Describe()}");
            var stored = Counts(connection, child.Name);
            var acked = child.Acked();
            var missing = acked.Where(id => !stored.ContainsKey(id)).ToList();
            Assert.True(missing.Count == 0, $"{context}: {missing.Count} of {acked.Count} acknowledged writes of {child.Name} are missing (first: {string.Join(", ", missing.Take(5))}); {child.Describe()}");
            var twice = stored.Where(p => p.Value > 1).Select(p => p.Key).ToList();
            Assert.True(twice.Count == 0, $"{context}: {twice.Count} writes of {child.Name} are stored more than once (first: {string.Join(", ", twice.Take(5))})");
        }
    }

    /// <summary>Once every child is dead: the next Filix open (which recovers the WAL, and runs what Filix runs on open)
    /// succeeds, and the checks above hold for all of them; then the file is closed cleanly.</summary>
    public static async Task CheckAfterAllDeadAsync(string path, IReadOnlyCollection<TortureChild> children, string context)
    {
        if (!File.Exists(path))
        {
            Check(path, children, context);
            return;
        }

        await using (var db = await FilixDatabase.OpenAsync(path, TortureSchema.Definition, FilixOptions.Default with { ShareWriter = false, CreateIfMissing = false }))
        {
            Check(path, children, context + " (reopened by Filix)");
        }
    }

    private static bool HasItems(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE name = 'items'";
        return (long)command.ExecuteScalar()! > 0;
    }

    public static Dictionary<string, long> Counts(SqliteConnection connection, string child)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, count(*) FROM items WHERE child = $child GROUP BY id";
        command.Parameters.AddWithValue("$child", child);
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}

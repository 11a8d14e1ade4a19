using System.Diagnostics;
using Filix.Domains.Entities;
using Filix.Runtime;
using Microsoft.Data.Sqlite;

namespace Filix.Reliability.Bench;

/// <summary>Makes the large database: an entities database created by Filix (schema, capture triggers), then filled
/// through one plain connection in large transactions with synchronous off (a benchmark fixture, not a write path).
/// Capture is skipped the way sync's own apply skips it (the <c>_filix_applying</c> flag row), so the fill does not
/// also build a change log of a million rows.</summary>
internal static class BulkFill
{
    public static async Task<long> CreateAsync(string path, long targetBytes)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-filix.lock", "-filix.owner" })
        {
            File.Delete(path + suffix);
        }

        await using (await FilixDatabase.OpenAsync(path, EntitiesSchema.Definition, Program.Options))
        {
        }

        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA synchronous = OFF; PRAGMA journal_mode = WAL; PRAGMA cache_size = -200000");
        var random = new Random(12);
        var words = Enumerable.Range(0, 5000).Select(_ => new string(Enumerable.Range(0, random.Next(3, 11)).Select(_ => (char)('a' + random.Next(26))).ToArray())).ToArray();
        long rows = 0;
        while (new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0) < targetBytes)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, "INSERT INTO _filix_applying VALUES (1)", transaction);
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO entities (id, type, name, summary) VALUES ($id, $type, $name, $summary)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var type = insert.Parameters.Add("$type", SqliteType.Text);
            var name = insert.Parameters.Add("$name", SqliteType.Text);
            var summary = insert.Parameters.Add("$summary", SqliteType.Text);
            for (var i = 0; i < 50_000; i++, rows++)
            {
                id.Value = "bulk-" + rows;
                type.Value = words[rows % 7];
                name.Value = words[random.Next(words.Length)] + " " + words[random.Next(words.Length)];
                summary.Value = string.Join(' ', Enumerable.Range(0, 120).Select(_ => words[random.Next(words.Length)])); // ~850 bytes of text
                insert.ExecuteNonQuery();
            }

            Execute(connection, "DELETE FROM _filix_applying", transaction);
            transaction.Commit();
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        Console.Error.WriteLine($"filled {path}: {rows:N0} rows, {new FileInfo(path).Length / (1 << 20):N0} MiB in {clock.Elapsed.TotalSeconds:0} s");
        return rows;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using Filix.Domains.Entities;
using Filix.Runtime;
using Filix.Testing;
using Microsoft.Data.Sqlite;

namespace Filix.Reliability.Tests.Backups;

/// <summary>What the backup tests share: an entities database in a temporary data folder, rows written as one
/// entity plus one event per transaction (so a consistent snapshot always has as many of each), and a plain
/// SQLite connection for reading a file as any other tool would.</summary>
internal static class BackupFixture
{
    public static readonly FilixOptions Options = new() { ShareWriter = false, BusyTimeout = TimeSpan.FromSeconds(30) };

    public static Task<FilixDatabase> OpenAsync(string path) => FilixDatabase.OpenAsync(path, EntitiesSchema.Definition, Options);

    public static string DatabaseIn(TempDirectory folder) => folder.File("entities.db");

    /// <summary>Writes <paramref name="count"/> entity+event pairs with ids <c>prefix-i</c>, each pair one transaction.</summary>
    public static async Task WritePairsAsync(FilixDatabase database, string prefix, int count, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            await WritePairAsync(database, $"{prefix}-{i}", cancellationToken);
        }
    }

    public static Task WritePairAsync(FilixDatabase database, string id, CancellationToken cancellationToken = default) =>
        database.WriteAsync(static (session, id) =>
        {
            var entity = session.Command("INSERT INTO entities (id, type, name) VALUES ($p0, 'thing', $p1)", 2);
            entity.Parameters[0].Value = id;
            entity.Parameters[1].Value = "name of " + id + new string('x', 200);
            entity.ExecuteNonQuery();
            var @event = session.Command("INSERT INTO events (entity_id, role, role_type) VALUES ($p0, 'member', 'tag')", 1);
            @event.Parameters[0].Value = id;
            @event.ExecuteNonQuery();
            return 0;
        }, id, cancellationToken);

    public static SqliteConnection Raw(string path, bool readOnly = true)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite }.ToString());
        connection.Open();
        return connection;
    }

    public static long Count(string path, string table)
    {
        using var connection = Raw(path);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Decompresses a backup file to <paramref name="target"/> with the framework's gzip (as gunzip would).</summary>
    public static void Gunzip(string gzip, string target)
    {
        using var input = File.OpenRead(gzip);
        using var unzip = new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = File.Create(target);
        unzip.CopyTo(output);
    }
}

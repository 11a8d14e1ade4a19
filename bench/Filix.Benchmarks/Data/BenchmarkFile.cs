using Filix.Domains.Entities;
using Microsoft.Data.Sqlite;

namespace Filix.Benchmarks.Data;

/// <summary>
/// A fresh folder holding the <c>entities.db</c> every peer reads, filled through the generated repositories
/// (the same stored forms Filix writes), and deleted at the end.
/// </summary>
internal sealed class BenchmarkFile : IDisposable
{
    private BenchmarkFile(string folder) => Folder = folder;

    public string Folder { get; }

    public string Path => System.IO.Path.Combine(Folder, EntitiesDatabase.FileName);

    /// <summary>Creates the schema and, when <paramref name="entities"/> is above zero, that many entities with
    /// three events each.</summary>
    public static async Task<BenchmarkFile> CreateAsync(int entities)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "filix-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = new BenchmarkFile(folder);
        await using var database = await EntitiesDatabase.OpenAsync(file.Path).ConfigureAwait(false);
        if (entities > 0)
        {
            var rows = SampleData.Entities(entities, seed: 42);
            await database.Entities.InsertManyAsync(rows).ConfigureAwait(false);
            await database.Events.InsertManyAsync(SampleData.Events(rows, seed: 43)).ConfigureAwait(false);
        }

        return file;
    }

    /// <summary>A connection set up the way Filix sets up its own (no ADO.NET pool, WAL already in the file,
    /// synchronous=NORMAL, foreign keys on), so the peers pay the same durability cost.</summary>
    public SqliteConnection OpenConnection()
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
        return connection;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A benchmark process killed mid-run leaves its temp folder; never fail a run over cleanup.
        }
    }
}

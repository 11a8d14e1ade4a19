using Filix.Concurrency.Worker;
using Filix.Runtime;
using Microsoft.Data.Sqlite;

namespace Filix.Concurrency.Tests;

/// <summary>A fresh folder with a database path in it, deleted afterwards; plus raw checks on the file.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "filix-concurrency-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Path = System.IO.Path.Combine(Folder, "test.db");
    }

    public string Folder { get; }

    public string Path { get; }

    public Task<FilixDatabase> OpenAsync(FilixOptions? options = null) =>
        FilixDatabase.OpenAsync(Path, TestSchema.Definition, options);

    /// <summary>Opens the file with a plain connection (no Filix), as a separate observer would.</summary>
    public SqliteConnection Raw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public T Scalar<T>(string sql)
    {
        using var connection = Raw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }

    /// <summary>Every id in <c>log</c> (or <paramref name="table"/>) with how many rows carry it.</summary>
    public Dictionary<string, long> LogCounts(string table = "log")
    {
        using var connection = Raw();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, count(*) FROM {table} GROUP BY id";
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file for a moment; the OS cleans the temp folder.
        }
    }
}

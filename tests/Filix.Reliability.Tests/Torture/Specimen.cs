using Filix.Reliability.Worker;
using Filix.Runtime;
using Microsoft.Data.Sqlite;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// A healthy database to damage: made and filled through Filix and closed (so its pages are all in the file), then,
/// for the WAL cases, more transactions left in its WAL by a connection that does not checkpoint. <see cref="CopyTo"/>
/// copies the file (and WAL) as a crash would leave them: no <c>-shm</c>, so the next open rebuilds it from the WAL.
/// </summary>
internal sealed class Specimen
{
    public const int FileRows = 3000;
    public const int WalRows = 500;

    private Specimen(string folder) => Folder = folder;

    public string Folder { get; }

    public string Path => System.IO.Path.Combine(Folder, "torture.db");

    public static async Task<Specimen> CreateAsync(string folder, bool withWal)
    {
        Directory.CreateDirectory(folder);
        var specimen = new Specimen(folder);
        await using (var db = await FilixDatabase.OpenAsync(specimen.Path, TortureSchema.Definition, FilixOptions.Default with { ShareWriter = false }))
        {
            for (var batch = 0; batch < FileRows / 100; batch++)
            {
                var values = Enumerable.Range(batch * 100, 100).SelectMany(n => TortureSchema.Row("f-" + n, "file", n, 200)).ToArray();
                await db.ExecuteAsync(TortureSchema.Insert, 4, values);
            }
        }

        if (withWal)
        {
            // Kept open while the copy is taken: closing the last connection would checkpoint the WAL into the file.
            specimen._walWriter = Survivors.Open(specimen.Path);
            Execute(specimen._walWriter, "PRAGMA wal_autocheckpoint = 0");
            for (var tx = 0; tx < 5; tx++)
            {
                Execute(specimen._walWriter, "BEGIN");
                for (var n = tx * (WalRows / 5); n < (tx + 1) * (WalRows / 5); n++)
                {
                    using var insert = specimen._walWriter.CreateCommand();
                    insert.CommandText = "INSERT INTO items (id, child, n, payload) VALUES ($id, 'wal', $n, zeroblob(200))";
                    insert.Parameters.AddWithValue("$id", "w-" + n);
                    insert.Parameters.AddWithValue("$n", n);
                    insert.ExecuteNonQuery();
                }

                Execute(specimen._walWriter, "COMMIT");
            }
        }

        return specimen;
    }

    private SqliteConnection? _walWriter;

    /// <summary>Commits <paramref name="rows"/> more rows to <paramref name="path"/> and copies the file and its WAL
    /// back over it as they were before the connection closed: a database whose writer was killed. Returns the rows.</summary>
    public static Task<int> AppendWalAsync(string path, int rows)
    {
        var live = path + ".live";
        File.Copy(path, live);
        using (var connection = Survivors.Open(live))
        {
            Execute(connection, "PRAGMA wal_autocheckpoint = 0");
            Execute(connection, "BEGIN");
            for (var n = 0; n < rows; n++)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO items (id, child, n, payload) VALUES ($id, 'late', $n, zeroblob(100))";
                insert.Parameters.AddWithValue("$id", "late-" + n);
                insert.Parameters.AddWithValue("$n", n);
                insert.ExecuteNonQuery();
            }

            Execute(connection, "COMMIT");
            File.Copy(live, path, overwrite: true);
            File.Copy(live + "-wal", path + "-wal", overwrite: true);
        }

        File.Delete(live);
        return Task.FromResult(rows);
    }

    /// <summary>Copies the database (and its WAL) into <paramref name="folder"/>; returns the copy's path.</summary>
    public string CopyTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var copy = System.IO.Path.Combine(folder, "torture.db");
        File.Copy(Path, copy);
        if (File.Exists(Path + "-wal"))
        {
            File.Copy(Path + "-wal", copy + "-wal");
        }

        return copy;
    }

    public void Release() => _walWriter?.Dispose();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using System.Diagnostics;
using Filix.Domains.Entities;
using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Testing;

namespace Filix.Reliability.Tests.Health;

/// <summary>What the health tests share: a data folder, an entities database with rows, the bytes of its files, and
/// foreign processes (python3's sqlite3) that write and are killed, or hold the database open.</summary>
internal sealed class HealthFixture : IDisposable
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public HealthFixture(string name) => Folder = TempDirectory.Create("health-" + name);

    public TempDirectory Folder { get; }

    public string Database => Folder.File("entities.db");

    public string Wal => Database + "-wal";

    public string Shm => Database + "-shm";

    public void Dispose() => Folder.Dispose();

    public static Entity Row(int i) => new() { Id = $"e{i:D6}", Type = "person", Name = $"Person {i} " + new string('x', 200), CreatedAt = Created, UpdatedAt = Created };

    /// <summary>Creates the database with <paramref name="rows"/> rows and closes it cleanly (no WAL left).</summary>
    public async Task CreateAsync(int rows)
    {
        await using var db = await EntitiesDatabase.OpenAsync(Database);
        if (rows > 0)
        {
            await db.Entities.InsertManyAsync(Enumerable.Range(0, rows).Select(Row));
        }
    }

    /// <summary>The bytes of the database and each side file that exists, to compare before and after.</summary>
    public Dictionary<string, byte[]> Snapshot() =>
        new[] { Database, Wal, Shm, Database + "-journal" }.Where(File.Exists).ToDictionary(p => p, File.ReadAllBytes);

    public static void AssertUnchanged(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after, params string[] ignore)
    {
        foreach (var (path, bytes) in before.Where(b => !ignore.Contains(b.Key)))
        {
            Assert.True(after.ContainsKey(path), $"{path} was deleted");
            Assert.True(bytes.AsSpan().SequenceEqual(after[path]), $"{path} was changed");
        }
    }

    /// <summary>A foreign writer (python3's sqlite3, WAL mode) inserts <paramref name="rows"/> rows, commits each, and
    /// SIGKILLs itself: the database is left as a crash leaves it, with its -wal and -shm.</summary>
    public void WriteAndKill(int rows, int first = 100_000)
    {
        var script = $$"""
            import os, signal, sqlite3
            c = sqlite3.connect({{Py(Database)}}, isolation_level=None)
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA wal_autocheckpoint=0")
            for i in range({{first}}, {{first + rows}}):
                c.execute("INSERT INTO entities (id, type, name, created_at, updated_at) VALUES (?, 'person', ?, '2026-01-02T03:04:05.0000000Z', '2026-01-02T03:04:05.0000000Z')", ("k%06d" % i, "Killed %d" % i))
            os.kill(os.getpid(), signal.SIGKILL)
            """;
        Python(script, wait: true).Dispose();
        Assert.True(File.Exists(Wal), "the killed writer left no -wal");
    }

    /// <summary>A foreign process that holds the database open (a read transaction's connection, WAL mode) until it is disposed.</summary>
    public Process Hold()
    {
        var process = Python($$"""
            import sqlite3, sys
            c = sqlite3.connect({{Py(Database)}}, isolation_level=None)
            c.execute("SELECT count(*) FROM entities").fetchone()
            print("open", flush=True)
            sys.stdin.read()
            """, wait: false);
        Assert.Equal("open", process.StandardOutput.ReadLine());
        return process;
    }

    public static void Release(Process process)
    {
        process.StandardInput.Close();
        process.WaitForExit();
        process.Dispose();
    }

    /// <summary>Lists a verified backup of the database in its manifest (the file is a copy of the database: only
    /// the listing matters to the health messages).</summary>
    public BackupEntry ListVerifiedBackup(DateTimeOffset takenAt)
    {
        Directory.CreateDirectory(BackupCatalog.FolderOf(Database));
        var file = BackupCatalog.FileFor(Database, takenAt);
        File.WriteAllBytes(file, [1, 2, 3]);
        var entry = new BackupEntry(takenAt, file, 3, true, new Dictionary<string, long> { ["entities"] = 1 }) { Integrity = "ok" };
        BackupManifest.Write(BackupCatalog.ManifestOf(Database), [entry]);
        return entry;
    }

    /// <summary>Overwrites <paramref name="count"/> bytes at <paramref name="offset"/> of <paramref name="path"/>.</summary>
    public static void Damage(string path, long offset, int count, byte value = 0xA5)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(Enumerable.Repeat(value, count).ToArray());
    }

    private static string Py(string path) => "'" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static Process Python(string script, bool wait)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        var process = Process.Start(start)!;
        if (!wait)
        {
            return process;
        }

        process.StandardInput.Close();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 137, $"python3 exited with {process.ExitCode}, not 137 (SIGKILL): {error}");
        return process;
    }
}

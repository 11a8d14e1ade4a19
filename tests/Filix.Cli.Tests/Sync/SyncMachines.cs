using System.Diagnostics;
using Filix.Domains.Entities;
using Filix.Testing.Postgres;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Tests.Sync;

[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

/// <summary>What the sync command tests do to a machine (a data folder): write as seed 000's tools do (the typed API,
/// and Python's own sqlite3 on the file), read a row back raw, stop and start the upstream.</summary>
internal static class SyncMachines
{
    /// <summary>Writes an entity through the generated repository (the typed API), as a C# tool would.</summary>
    public static async Task WriteTypedAsync(string dataFolder, string id, string name)
    {
        await using var database = await EntitiesDatabase.OpenAsync(Path.Combine(dataFolder, "entities.db"));
        await database.Entities.UpsertAsync(new Entity { Id = id, Type = "person", Name = name });
    }

    /// <summary>Writes an entity and an event of it with Python's sqlite3 module: another process and language,
    /// raw SQL, no Filix anywhere (what build_entities.py does).</summary>
    public static void WriteWithPython(string dataFolder, string id, string name)
    {
        const string script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], timeout=30)
            db.execute("INSERT INTO entities (id, type, name) VALUES (?, 'person', ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name", (sys.argv[2], sys.argv[3]))
            db.execute("INSERT OR IGNORE INTO events (entity_id, role, role_type) VALUES (?, 'python', 'source')", (sys.argv[2],))
            db.commit()
            db.close()
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", script, Path.Combine(dataFolder, "entities.db"), id, name })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "python3 sqlite3 write failed: " + error);
    }

    /// <summary>The name of entity <paramref name="id"/> in a machine's entities.db, read raw (null when absent).</summary>
    public static string? ReadName(string dataFolder, string id)
    {
        var path = Path.Combine(dataFolder, "entities.db");
        if (!File.Exists(path))
        {
            return null;
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadWrite;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM entities WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        try
        {
            return command.ExecuteScalar() as string;
        }
        catch (SqliteException)
        {
            return null; // the table is not there yet (the daemon is still creating the database)
        }
    }

    /// <summary>Polls until entity <paramref name="id"/> in <paramref name="dataFolder"/> has <paramref name="name"/>;
    /// returns how long it took. Fails after <paramref name="timeout"/> with <paramref name="context"/>.</summary>
    public static async Task<TimeSpan> WaitForNameAsync(string dataFolder, string id, string name, TimeSpan timeout, Func<string> context)
    {
        var watch = Stopwatch.StartNew();
        while (ReadName(dataFolder, id) != name)
        {
            if (watch.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"'{id}' did not arrive in {dataFolder} as '{name}' within {timeout.TotalSeconds:0} s (it holds '{ReadName(dataFolder, id)}').\n{context()}");
            }

            await Task.Delay(10);
        }

        return watch.Elapsed;
    }
}

/// <summary>Stops and starts a test cluster as a crash or a maintenance would (pg_ctl, as the postgres user under root).</summary>
internal static class ClusterControl
{
    public static void Stop(PostgresCluster cluster) => PgCtl(cluster, "stop", "-D", cluster.DataFolder, "-m", "fast", "-w");

    /// <summary>Starts the stopped cluster again with the options it last ran with (<c>pg_ctl restart</c> reads them from
    /// postmaster.opts; with no server running it just starts one).</summary>
    public static void Start(PostgresCluster cluster) =>
        PgCtl(cluster, "restart", "-D", cluster.DataFolder, "-l", Path.Combine(Path.GetDirectoryName(cluster.DataFolder)!, "server.log"), "-w", "-t", "60");

    private static void PgCtl(PostgresCluster cluster, params string[] arguments)
    {
        var pgCtl = Path.Combine(BinFolder(), "pg_ctl");
        var start = Environment.IsPrivilegedProcess ? new ProcessStartInfo("runuser") : new ProcessStartInfo(pgCtl);
        if (Environment.IsPrivilegedProcess)
        {
            foreach (var a in new[] { "-u", "postgres", "--", pgCtl })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"pg_ctl {string.Join(' ', arguments)} on port {cluster.Port} failed: {output.Result}{error}");
    }

    private static string BinFolder() =>
        Environment.GetEnvironmentVariable("FILIX_PG_BIN") is { Length: > 0 } configured
            ? configured
            : Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "pg_ctl")))
                .OrderByDescending(d => double.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1)
                .Select(d => Path.Combine(d, "bin")).First();
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Filix.Sync.Bench;

/// <summary>
/// A throwaway Postgres for the benchmark, with durable commits: <c>fsync</c>, <c>synchronous_commit</c> and
/// <c>full_page_writes</c> at their defaults (on), unlike the functional tests' cluster, so a commit costs the WAL
/// flush it costs in production. Only <c>initdb</c> runs with <c>--no-sync</c> (the empty cluster's files need no
/// flush). <c>pg_stat_statements</c> and WAL I/O timing are on so a run can say where the server's time went.
/// Under root the server runs as <c>postgres</c> through <c>runuser</c> (Postgres refuses root).
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _asRoot;

    private BenchCluster(string folder, string bin, bool asRoot, int port)
    {
        _folder = folder;
        _bin = bin;
        _asRoot = asRoot;
        Port = port;
    }

    public int Port { get; }

    public string DataFolder => Path.Combine(_folder, "data");

    /// <summary>The server's settings, as the report prints them.</summary>
    public const string Settings =
        "fsync=on synchronous_commit=on full_page_writes=on (defaults), shared_buffers=128MB, max_wal_size=1GB (defaults), " +
        "shared_preload_libraries=pg_stat_statements, track_wal_io_timing=on";

    /// <summary>Starts a cluster in a new folder under <paramref name="parent"/> (outside /tmp: test fixtures there
    /// clean up after themselves by name).</summary>
    public static async Task<BenchCluster> StartAsync(string parent)
    {
        var bin = FindBin();
        var asRoot = Environment.IsPrivilegedProcess;
        var folder = Path.Combine(parent, "pg-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal));
        Directory.CreateDirectory(folder);
        if (asRoot)
        {
            Run("chown", ["-R", "postgres:", folder]);
        }

        var cluster = new BenchCluster(folder, bin, asRoot, FreePort());
        cluster.Server("initdb", ["-D", cluster.DataFolder, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
        var options = string.Join(' ',
            $"-p {cluster.Port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {folder}",
            "-c listen_addresses=127.0.0.1",
            "-c fsync=on -c synchronous_commit=on -c full_page_writes=on",
            "-c shared_preload_libraries=pg_stat_statements -c track_wal_io_timing=on -c max_connections=100");
        cluster.Server("pg_ctl", ["start", "-D", cluster.DataFolder, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", options]);
        await using var connection = new NpgsqlConnection(cluster.ConnectionString());
        await connection.OpenAsync();
        await using (var fsync = new NpgsqlCommand("SHOW fsync", connection))
        {
            var value = (string?)await fsync.ExecuteScalarAsync();
            if (value != "on")
            {
                throw new InvalidOperationException($"the benchmark cluster in {folder} runs with fsync={value}; the figures need fsync=on.");
            }
        }

        return cluster;
    }

    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Timeout = 30,
        CommandTimeout = 0,
    }.ToString();

    /// <summary>A fresh empty database, with pg_stat_statements queryable in it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(ConnectionString()))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = ConnectionString(name);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
            await extension.ExecuteNonQueryAsync();
        }

        return connectionString;
    }

    /// <summary>The postmaster's process id (first line of postmaster.pid): the root of the server's process tree.</summary>
    public int PostmasterPid() =>
        int.Parse(File.ReadLines(Path.Combine(DataFolder, "postmaster.pid")).First().Trim(), CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            Server("pg_ctl", ["stop", "-D", DataFolder, "-m", "immediate", "-w"]);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private string Server(string binary, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_bin, binary);
        return _asRoot ? Run("runuser", ["-u", "postgres", "--", path, .. arguments]) : Run(path, arguments);
    }

    private static string Run(string file, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' did not finish in 120 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {output.Result}{error.Result}");
        }

        return output.Result;
    }

    private static string FindBin()
    {
        var configured = Environment.GetEnvironmentVariable("FILIX_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(dir => File.Exists(Path.Combine(dir, "pg_ctl")))
                .OrderByDescending(dir => dir, StringComparer.Ordinal)
                .FirstOrDefault() ?? throw new InvalidOperationException("no PostgreSQL server under /usr/lib/postgresql/*/bin; install postgresql-15 or set FILIX_PG_BIN.")
            : throw new InvalidOperationException("no /usr/lib/postgresql; install postgresql-15 or set FILIX_PG_BIN to the folder holding initdb and pg_ctl.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

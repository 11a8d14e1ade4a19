using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Filix.Migrations.Tests;

/// <summary>
/// A real, throwaway Postgres 15 for this project's tests (a minimal start of our own; the shared
/// tests/Filix.Testing/PostgresCluster fixture can replace it). Postgres refuses to run as root, so the cluster
/// belongs to the postgres user; it listens on a free loopback port only.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private string _dir = string.Empty;
    private int _port;

    public async Task InitializeAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), "filix-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _port = FreePort();
        await RunAsync("chown", "-R", "postgres", _dir);
        await AsPostgresAsync($"{Bin}/initdb", "-D", Path.Combine(_dir, "data"), "-A", "trust", "--no-sync", "-U", "postgres");
        await AsPostgresAsync($"{Bin}/pg_ctl", "-D", Path.Combine(_dir, "data"), "-w", "-l", Path.Combine(_dir, "log"),
            "-o", $"-p {_port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AsPostgresAsync($"{Bin}/pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "stop");
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A new empty database, and an open connection to it.</summary>
    public async Task<(NpgsqlConnection Connection, string ConnectionString)> CreateDatabaseAsync()
    {
        var name = "t" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnection(ConnectionString(name));
        await connection.OpenAsync();
        return (connection, ConnectionString(name));
    }

    private string ConnectionString(string database) => $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Pooling=false";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task AsPostgresAsync(string program, params string[] args) => RunAsync("runuser", new[] { "-u", "postgres", "--", program }.Concat(args).ToArray());

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{error}");
        }
    }
}

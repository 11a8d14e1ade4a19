using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Filix.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> into a temp folder, <c>pg_ctl start</c> on a free loopback port
/// (Unix socket in the same folder), trust authentication for user <c>postgres</c>. Dispose stops it
/// (<c>pg_ctl stop -m immediate</c>: nothing in it is worth a clean shutdown) and deletes the folder.
/// </summary>
/// <remarks>
/// Postgres refuses to run as root. Under root (CI) the folder is handed to the <c>postgres</c> user and every
/// server binary runs through <c>runuser -u postgres --</c>. Missing binaries are an error naming the package to
/// install: a test that needs Postgres never silently skips.
/// </remarks>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _folder;
    private readonly string _bin;
    private readonly bool _asRoot;
    private PostgresClusterOptions _options = PostgresClusterOptions.Default;
    private bool _stopped;
    private bool _running;

    private PostgresCluster(TempDirectory folder, string bin, bool asRoot, int port)
    {
        _folder = folder;
        _bin = bin;
        _asRoot = asRoot;
        Port = port;
    }

    public int Port { get; }

    public string Host => "127.0.0.1";

    /// <summary>The cluster's data folder.</summary>
    public string DataFolder => Path.Combine(_folder.Path, "data");

    private string LogFile => Path.Combine(_folder.Path, "server.log");

    /// <summary>Creates and starts a cluster; throws with the server's log when it cannot.</summary>
    public static async Task<PostgresCluster> StartAsync(PostgresClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= PostgresClusterOptions.Default;
        var bin = PostgresBinaries.Find(options.BinFolder);
        var asRoot = Environment.IsPrivilegedProcess;
        var folder = TempDirectory.Create("pg");
        PostgresCluster? cluster = null;
        try
        {
            if (asRoot)
            {
                // initdb runs as postgres and must own the folder it writes into.
                RunCommand("chown", ["-R", $"{Superuser}:", folder.Path], "handing the cluster folder to the postgres user (needed when tests run as root)");
            }

            cluster = new PostgresCluster(folder, bin, asRoot, FreePort());
            cluster.InitDb();
            await cluster.StartServerAsync(options, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            // A server that started but never answered must not outlive its deleted folder.
            cluster?.StopIfRunning();
            folder.Dispose();
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = Superuser,
        Database = database,
        Timeout = 30,
    }.ToString();

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <summary>Whether the server is up (false between <see cref="Stop"/> and <see cref="StartAgainAsync"/>).</summary>
    public bool IsRunning => _running;

    /// <summary>
    /// Stops the server and keeps its data, for tests of what clients do when it goes away. <paramref name="immediate"/>
    /// (default): <c>pg_ctl stop -m immediate</c>, every connection dropped at once as in a crash (the next start
    /// recovers from the WAL); false: <c>-m fast</c>, open transactions rolled back and the server shut down cleanly.
    /// </summary>
    public void Stop(bool immediate = true)
    {
        if (!_running)
        {
            throw new InvalidOperationException($"The test cluster on port {Port} is not running.");
        }

        PgCtl(["stop", "-D", DataFolder, "-m", immediate ? "immediate" : "fast", "-w"], "stopping the test cluster");
        _running = false;
    }

    /// <summary>Starts a server <see cref="Stop"/>ped before, on the same port and data, with the options it started with.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (_running)
        {
            throw new InvalidOperationException($"The test cluster on port {Port} is already running.");
        }

        return StartServerAsync(_options, cancellationToken);
    }

    /// <summary><see cref="Stop"/> then <see cref="StartAgainAsync"/>: a Postgres restart as clients see it.</summary>
    public Task RestartAsync(bool immediate = true, CancellationToken cancellationToken = default)
    {
        Stop(immediate);
        return StartAgainAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            NpgsqlConnection.ClearAllPools();
            try
            {
                if (_running)
                {
                    PgCtl(["stop", "-D", DataFolder, "-m", "immediate", "-w"], "stopping the test cluster");
                }
            }
            finally
            {
                _folder.Dispose();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Best effort, on a failed start: the failure being reported matters more than this one.</summary>
    private void StopIfRunning()
    {
        var (file, arguments) = ServerCommand("pg_ctl", ["stop", "-D", DataFolder, "-m", "immediate", "-w"]);
        ProcessRunner.Run(file, arguments, CommandTimeout);
    }

    private void InitDb() =>
        Server("initdb", ["-D", DataFolder, "-A", "trust", "-U", Superuser, "--no-sync", "-E", "UTF8", "--locale=C"], "initdb");

    private async Task StartServerAsync(PostgresClusterOptions options, CancellationToken cancellationToken)
    {
        _options = options;
        var settings = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {_folder.Path}",
            "-c listen_addresses=127.0.0.1",
            options.Durable ? string.Empty : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        var timeout = ((int)options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        PgCtl(["start", "-D", DataFolder, "-l", LogFile, "-w", "-t", timeout, "-o", settings], $"starting the test cluster on port {Port}");
        _running = true;

        // pg_ctl -w returns once the server accepts connections; one round trip proves it from here too.
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private void PgCtl(IReadOnlyList<string> arguments, string what) => Server("pg_ctl", arguments, what);

    /// <summary>Runs a server binary, as the postgres user when this process is root.</summary>
    private void Server(string binary, IReadOnlyList<string> arguments, string what)
    {
        var (file, all) = ServerCommand(binary, arguments);
        Run(file, all, what);
    }

    private (string File, IReadOnlyList<string> Arguments) ServerCommand(string binary, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_bin, binary);
        return _asRoot ? ("runuser", ["-u", Superuser, "--", path, .. arguments]) : (path, arguments);
    }

    private void Run(string file, IReadOnlyList<string> arguments, string what) => RunCommand(file, arguments, what, LogFile);

    /// <summary>Runs a command; on failure throws with its output and, when there is one, the server's log.</summary>
    private static void RunCommand(string file, IReadOnlyList<string> arguments, string what, string? logFile = null)
    {
        var result = ProcessRunner.Run(file, arguments, CommandTimeout);
        if (result.ExitCode != 0)
        {
            var log = logFile is not null && File.Exists(logFile) ? "\nServer log:\n" + File.ReadAllText(logFile) : string.Empty;
            throw new InvalidOperationException($"Failed {what}: '{file} {string.Join(' ', arguments)}' exited with {result.ExitCode}.\n{result.Output}{log}");
        }
    }

    /// <summary>A loopback port nobody listens on now. Another process could take it before the server binds;
    /// the server then fails to start with "could not bind", which the error shows.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

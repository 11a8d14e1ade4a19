using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Filix.Domains.Contacts;
using Filix.Domains.Entities;
using Filix.Domains.Files;
using Filix.Domains.Music;
using Filix.Domains.Papers;
using Filix.Domains.Storage;
using Filix.Domains.Transcripts;
using Filix.Runtime;
using Filix.Runtime.Health;
using Microsoft.Data.Sqlite;

namespace Filix.Benchmarks.Scenarios;

/// <summary>
/// What the health check on open costs per domain database (docs/benchmarks.md, "Health on open"): the cheap checks
/// of every open (<see cref="HealthCheck.Quick"/>: header, side files, WAL) against a plain SQLite open (a
/// connection and its first read of the schema), the path after a crash (<see cref="HealthCheck.OnOpen"/> with the
/// unclean-close marker: <c>PRAGMA quick_check</c>), and Filix's whole open and close for scale. The databases are
/// copies of a data folder filled by <c>filix run</c> (<c>FILIX_HEALTH_DATA</c>); without one, empty databases.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
[Config(typeof(Config))]
public class HealthOnOpenBenchmarks
{
    private static readonly Dictionary<string, DatabaseSchema> Schemas = new()
    {
        ["entities"] = EntitiesSchema.Definition,
        ["papers"] = PapersSchema.Definition,
        ["contacts"] = ContactsSchema.Definition,
        ["transcripts"] = TranscriptsSchema.Definition,
        ["music"] = MusicSchema.Definition,
        ["storage"] = StorageSchema.Definition,
        ["files"] = FilesSchema.Definition,
    };

    private string _folder = null!;
    private string _clean = null!;
    private string _crashed = null!;

    [Params("entities", "papers", "contacts", "transcripts", "music", "storage", "files")]
    public string Domain { get; set; } = "entities";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("filix-health-bench-").FullName;
        _clean = Path.Combine(_folder, Domain + ".db");
        _crashed = Path.Combine(_folder, Domain + "-crashed.db");
        var source = Environment.GetEnvironmentVariable("FILIX_HEALTH_DATA") is { Length: > 0 } data ? Path.Combine(data, Domain + ".db") : null;
        if (source is not null && File.Exists(source))
        {
            File.Copy(source, _clean);
        }
        else
        {
            Console.WriteLine($"// FILIX_HEALTH_DATA not set or without {Domain}.db: measuring an empty database");
            await (await FilixDatabase.OpenAsync(_clean, Schemas[Domain])).DisposeAsync();
        }

        // The crash: a copy whose -wal survived its last close (a zero-length WAL is what a process killed after a
        // checkpoint leaves). The read-only quick_check leaves it in place, so every invocation takes this path.
        File.Copy(_clean, _crashed);
        File.WriteAllBytes(_crashed + "-wal", []);
        var health = HealthCheck.OnOpen(_crashed);
        if (!health.UncleanClose || health.QuickCheck != "ok")
        {
            throw new InvalidOperationException($"The crashed copy did not take the quick_check path: {health.Describe()}");
        }

        Console.WriteLine($"// {Domain}: {new FileInfo(_clean).Length / 1024.0 / 1024.0:F1} MiB");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>The floor: what SQLite itself does to open the file and read its schema.</summary>
    [Benchmark(Baseline = true)]
    public long PlainSqliteOpen()
    {
        using var connection = new SqliteConnection($"Data Source={_clean};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>What every open adds: the header, side-file and WAL checks of a cleanly closed database.</summary>
    [Benchmark]
    public bool HealthQuickClean() => HealthCheck.OnOpen(_clean).IsHealthy;

    /// <summary>What an open after a crash adds: the same checks and PRAGMA quick_check.</summary>
    [Benchmark]
    public bool HealthAfterCrash() => HealthCheck.OnOpen(_crashed).IsHealthy;

    /// <summary>Filix's whole open and close of the clean database (health included), for scale.</summary>
    [Benchmark]
    public async Task FilixOpenClose() => await (await FilixDatabase.OpenAsync(_clean, Schemas[Domain])).DisposeAsync();

    /// <summary>In process: the checks are measured, not a rebuild of this project (which takes minutes here).</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10).WithId("Health"));
    }
}

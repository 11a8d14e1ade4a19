using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Filix.Benchmarks.Data;
using Filix.Benchmarks.Peers;
using Filix.Domains.Entities;
using Microsoft.Data.Sqlite;

namespace Filix.Benchmarks.Scenarios;

/// <summary>
/// 10,000 entities inserted in one transaction into an empty <c>entities</c> table. The rows are built once;
/// the table is emptied and the WAL checkpointed before each iteration (outside the measurement), and each
/// iteration runs the insert exactly once.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(BenchmarkConfig.Inserts))]
public class InsertBenchmarks
{
    private PeerSet _peers = null!;
    private SqliteConnection _maintenance = null!;
    private List<Entity> _rows = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _peers = await PeerSet.OpenAsync(entities: 0);
        _maintenance = _peers.File.OpenConnection();
        _rows = SampleData.Entities(SampleData.InsertCount, seed: 99);
    }

    [IterationSetup]
    public void EmptyTable()
    {
        using var command = _maintenance.CreateCommand();
        command.CommandText = "DELETE FROM \"entities\"; PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }

    [IterationCleanup]
    public void CheckCount()
    {
        using var command = _maintenance.CreateCommand();
        command.CommandText = "SELECT count(*) FROM \"entities\"";
        var count = (long)command.ExecuteScalar()!;
        if (count != SampleData.InsertCount)
        {
            throw new InvalidOperationException($"The insert left {count} rows in {_peers.File.Path}, expected {SampleData.InsertCount}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _maintenance.Dispose();
        _peers.Dispose();
    }

    [BenchmarkCategory("InsertMany"), Benchmark(Baseline = true)]
    public int Insert_AdoNet() => _peers.Ado.Insert(_rows);

    [BenchmarkCategory("InsertMany"), Benchmark]
    public Task<int> Insert_Filix() => _peers.Filix.Entities.InsertManyAsync(_rows);

    [BenchmarkCategory("InsertMany"), Benchmark]
    public int Insert_Dapper() => _peers.Dapper.Insert(_rows);

    [BenchmarkCategory("InsertMany"), Benchmark]
    public int Insert_EfCore() => _peers.Ef.Insert(_rows);
}

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
    private BenchmarkFile _file = null!;
    private EntitiesDatabase _filix = null!;
    private SqliteConnection _maintenance = null!;
    private SqliteConnection _adoConnection = null!;
    private SqliteConnection _dapperConnection = null!;
    private SqliteConnection _efConnection = null!;
    private AdoNetStore _ado = null!;
    private DapperStore _dapper = null!;
    private EfCoreStore _ef = null!;
    private List<Entity> _rows = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _file = await BenchmarkFile.CreateAsync(entities: 0);
        _filix = await EntitiesDatabase.OpenAsync(_file.Path);
        _maintenance = _file.OpenConnection();
        _adoConnection = _file.OpenConnection();
        _dapperConnection = _file.OpenConnection();
        _efConnection = _file.OpenConnection();
        _ado = new AdoNetStore(_adoConnection);
        _dapper = new DapperStore(_dapperConnection);
        _ef = new EfCoreStore(_efConnection);
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
            throw new InvalidOperationException($"The insert left {count} rows in {_file.Path}, expected {SampleData.InsertCount}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ado.Dispose();
        _maintenance.Dispose();
        _adoConnection.Dispose();
        _dapperConnection.Dispose();
        _efConnection.Dispose();
        _filix.Dispose();
        _file.Dispose();
    }

    [BenchmarkCategory("InsertMany"), Benchmark(Baseline = true)]
    public int Insert_AdoNet() => _ado.Insert(_rows);

    [BenchmarkCategory("InsertMany"), Benchmark]
    public Task<int> Insert_Filix() => _filix.Entities.InsertManyAsync(_rows);

    [BenchmarkCategory("InsertMany"), Benchmark]
    public int Insert_Dapper() => _dapper.Insert(_rows);

    [BenchmarkCategory("InsertMany"), Benchmark]
    public int Insert_EfCore() => _ef.Insert(_rows);
}

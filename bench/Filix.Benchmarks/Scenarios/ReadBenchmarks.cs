using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Filix.Benchmarks.Data;
using Filix.Benchmarks.Peers;
using Filix.Domains.Entities;
using Microsoft.Data.Sqlite;

namespace Filix.Benchmarks.Scenarios;

/// <summary>
/// Reads on one <c>entities.db</c> (11,000 entities, 33,000 events) through Filix and its three peers:
/// a row by primary key, the ~3 events of an entity (an indexed lookup), and a scan of every entity.
/// Hand-written ADO.NET is the baseline of each category.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(BenchmarkConfig.Reads))]
public class ReadBenchmarks
{
    private const int KeyCount = 1024;

    private BenchmarkFile _file = null!;
    private EntitiesDatabase _filix = null!;
    private SqliteConnection _adoConnection = null!;
    private SqliteConnection _dapperConnection = null!;
    private SqliteConnection _efConnection = null!;
    private AdoNetStore _ado = null!;
    private DapperStore _dapper = null!;
    private EfCoreStore _ef = null!;
    private string[] _ids = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _file = await BenchmarkFile.CreateAsync(SampleData.EntityCount);
        _filix = await EntitiesDatabase.OpenAsync(_file.Path);
        _adoConnection = _file.OpenConnection();
        _dapperConnection = _file.OpenConnection();
        _efConnection = _file.OpenConnection();
        _ado = new AdoNetStore(_adoConnection);
        _dapper = new DapperStore(_dapperConnection);
        _ef = new EfCoreStore(_efConnection);

        // A fixed list of random keys, the same in every process, walked in turn by each invocation.
        var all = SampleData.Entities(SampleData.EntityCount, seed: 42).Select(e => e.Id).ToArray();
        var random = new Random(7);
        _ids = Enumerable.Range(0, KeyCount).Select(_ => all[random.Next(all.Length)]).ToArray();
        await PeerCheck.SameRowsAsync(_filix, _ado, _dapper, _ef, _ids[0]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ado.Dispose();
        _adoConnection.Dispose();
        _dapperConnection.Dispose();
        _efConnection.Dispose();
        _filix.Dispose();
        _file.Dispose();
    }

    private string NextId() => _ids[_next++ & (KeyCount - 1)];

    [BenchmarkCategory("GetByKey"), Benchmark(Baseline = true)]
    public Entity? GetByKey_AdoNet() => _ado.Get(NextId());

    [BenchmarkCategory("GetByKey"), Benchmark]
    public ValueTask<Entity?> GetByKey_Filix() => _filix.Entities.GetAsync(NextId());

    [BenchmarkCategory("GetByKey"), Benchmark]
    public Entity? GetByKey_Dapper() => _dapper.Get(NextId());

    [BenchmarkCategory("GetByKey"), Benchmark]
    public Entity? GetByKey_EfCore() => _ef.Get(NextId());

    [BenchmarkCategory("Lookup"), Benchmark(Baseline = true)]
    public List<Event> Lookup_AdoNet() => _ado.FindEvents(NextId());

    [BenchmarkCategory("Lookup"), Benchmark]
    public ValueTask<IReadOnlyList<Event>> Lookup_Filix() => _filix.Events.FindByEntityIdAsync(NextId());

    [BenchmarkCategory("Lookup"), Benchmark]
    public List<Event> Lookup_Dapper() => _dapper.FindEvents(NextId());

    [BenchmarkCategory("Lookup"), Benchmark]
    public List<Event> Lookup_EfCore() => _ef.FindEvents(NextId());

    [BenchmarkCategory("Scan"), Benchmark(Baseline = true)]
    public int Scan_AdoNet() => _ado.Scan();

    [BenchmarkCategory("Scan"), Benchmark]
    public async Task<int> Scan_Filix()
    {
        var count = 0;
        await foreach (var entity in _filix.Entities.ScanAsync())
        {
            count += entity.Name.Length > 0 ? 1 : 0;
        }

        return count;
    }

    [BenchmarkCategory("Scan"), Benchmark]
    public int Scan_Dapper() => _dapper.Scan();

    [BenchmarkCategory("Scan"), Benchmark]
    public int Scan_EfCore() => _ef.Scan();
}

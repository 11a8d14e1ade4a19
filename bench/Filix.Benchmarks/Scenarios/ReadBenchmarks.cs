using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Filix.Benchmarks.Data;
using Filix.Benchmarks.Peers;
using Filix.Domains.Entities;

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

    private PeerSet _peers = null!;
    private string[] _ids = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _peers = await PeerSet.OpenAsync(SampleData.EntityCount);

        // A fixed list of random keys, the same in every process, walked in turn by each invocation.
        var all = SampleData.Entities(SampleData.EntityCount, seed: 42).Select(e => e.Id).ToArray();
        var random = new Random(7);
        _ids = Enumerable.Range(0, KeyCount).Select(_ => all[random.Next(all.Length)]).ToArray();
        await PeerCheck.SameRowsAsync(_peers, _ids[0]);
    }

    [GlobalCleanup]
    public void Cleanup() => _peers.Dispose();

    private string NextId() => _ids[_next++ & (KeyCount - 1)];

    [BenchmarkCategory("GetByKey"), Benchmark(Baseline = true)]
    public Entity? GetByKey_AdoNet() => _peers.Ado.Get(NextId());

    [BenchmarkCategory("GetByKey"), Benchmark]
    public ValueTask<Entity?> GetByKey_Filix() => _peers.Filix.Entities.GetAsync(NextId());

    [BenchmarkCategory("GetByKey"), Benchmark]
    public Entity? GetByKey_Dapper() => _peers.Dapper.Get(NextId());

    [BenchmarkCategory("GetByKey"), Benchmark]
    public Entity? GetByKey_EfCore() => _peers.Ef.Get(NextId());

    [BenchmarkCategory("Lookup"), Benchmark(Baseline = true)]
    public List<Event> Lookup_AdoNet() => _peers.Ado.FindEvents(NextId());

    [BenchmarkCategory("Lookup"), Benchmark]
    public ValueTask<IReadOnlyList<Event>> Lookup_Filix() => _peers.Filix.Events.FindByEntityIdAsync(NextId());

    [BenchmarkCategory("Lookup"), Benchmark]
    public List<Event> Lookup_Dapper() => _peers.Dapper.FindEvents(NextId());

    [BenchmarkCategory("Lookup"), Benchmark]
    public List<Event> Lookup_EfCore() => _peers.Ef.FindEvents(NextId());

    [BenchmarkCategory("Scan"), Benchmark(Baseline = true)]
    public int Scan_AdoNet() => _peers.Ado.Scan();

    [BenchmarkCategory("Scan"), Benchmark]
    public async Task<int> Scan_Filix()
    {
        var count = 0;
        await foreach (var entity in _peers.Filix.Entities.ScanAsync())
        {
            count += entity.Name.Length > 0 ? 1 : 0;
        }

        return count;
    }

    [BenchmarkCategory("Scan"), Benchmark]
    public int Scan_Dapper() => _peers.Dapper.Scan();

    [BenchmarkCategory("Scan"), Benchmark]
    public int Scan_EfCore() => _peers.Ef.Scan();
}

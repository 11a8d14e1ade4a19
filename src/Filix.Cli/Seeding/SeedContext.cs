using System.Diagnostics;
using System.Globalization;

namespace Filix.Cli.Seeding;

/// <summary>
/// Everything a seeder shares: a random source seeded from the domain's name (so every run generates the same
/// data), the size scale, a fixed clock, and batched inserts that report progress.
/// </summary>
internal sealed class SeedContext
{
    /// <summary>Rows per write transaction: large enough to amortise the commit, small enough to show progress.</summary>
    public const int BatchSize = 5_000;

    private readonly Action<string> _progress;

    public SeedContext(string domain, double scale, Action<string> progress, CancellationToken cancellationToken)
    {
        Domain = domain;
        Scale = scale;
        _progress = progress;
        CancellationToken = cancellationToken;
        Random = new Random(StableSeed(domain));
        Data = new SampleData(Random);
    }

    public string Domain { get; }

    public double Scale { get; }

    public Random Random { get; }

    public SampleData Data { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>"Now" for generated data: fixed, so two runs produce identical rows.</summary>
    public DateTimeOffset Now { get; } = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A row count from the seed, scaled (at least one).</summary>
    public int Size(int full) => Math.Max(1, (int)Math.Round(full * Scale));

    /// <summary>A time in the <paramref name="days"/> days before <see cref="Now"/>, to the second.</summary>
    public DateTimeOffset Past(int days) => Now.AddSeconds(-Random.NextInt64((long)days * 86_400));

    /// <summary>Inserts <paramref name="rows"/> through a repository's <c>InsertManyAsync</c>, one transaction per batch.</summary>
    public async Task InsertAsync<T>(string table, List<T> rows, Func<IEnumerable<T>, CancellationToken, Task<int>> insertMany)
    {
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < rows.Count; start += BatchSize)
        {
            var batch = rows.GetRange(start, Math.Min(BatchSize, rows.Count - start));
            await insertMany(batch, CancellationToken).ConfigureAwait(false);
            if (rows.Count > 4 * BatchSize && start + batch.Count < rows.Count)
            {
                Report($"{table}: {start + batch.Count:N0}/{rows.Count:N0} rows");
            }
        }

        Report($"{table}: {rows.Count:N0} rows in {watch.Elapsed.TotalSeconds:0.00} s");
    }

    private void Report(string message) => _progress(string.Create(CultureInfo.InvariantCulture, $"  {Domain}.{message}"));

    /// <summary>FNV-1a of the name: string.GetHashCode is randomised per process, this is not.</summary>
    private static int StableSeed(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}

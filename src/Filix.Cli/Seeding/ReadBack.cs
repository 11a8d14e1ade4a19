using System.Diagnostics;
using Filix.Cli.Domains;
using Filix.Runtime;

namespace Filix.Cli.Seeding;

/// <summary>
/// Reads a domain's data back through its repositories and fails loudly when the answers disagree: a scan that
/// returns another count than <c>CountAsync</c>, a key lookup that misses a scanned row, an index lookup that does
/// not return the row it was built from.
/// </summary>
internal sealed class ReadBack(FilixDatabase database, CancellationToken cancellationToken)
{
    private readonly List<ReadCheck> _checks = new();

    public IReadOnlyList<ReadCheck> Checks => _checks;

    /// <summary>Scans a whole table, checks the row count, and keeps up to <paramref name="samples"/> rows spread
    /// over it for the lookups that follow.</summary>
    public async Task<List<T>> ScanAsync<T>(string table, Func<CancellationToken, ValueTask<long>> count, Func<CancellationToken, IAsyncEnumerable<T>> scan, int samples = 8)
    {
        var expected = await count(cancellationToken).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var step = Math.Max(1, expected / samples);
        var kept = new List<T>();
        long rows = 0;
        await foreach (var row in scan(cancellationToken).ConfigureAwait(false))
        {
            if (rows % step == 0 && kept.Count < samples)
            {
                kept.Add(row);
            }

            rows++;
        }

        Add($"scan {table}", rows, watch);
        if (rows != expected)
        {
            throw Fail($"scanning '{table}' returned {rows:N0} rows, but counting it gave {expected:N0}");
        }

        return kept;
    }

    /// <summary>Looks each sample up by a key (primary or unique) and checks it is found.</summary>
    public async Task GetEachAsync<TSample, T>(string what, IReadOnlyList<TSample> samples, Func<TSample, CancellationToken, ValueTask<T?>> get)
        where T : class
    {
        var watch = Stopwatch.StartNew();
        foreach (var sample in samples)
        {
            if (await get(sample, cancellationToken).ConfigureAwait(false) is null)
            {
                throw Fail($"{what} found nothing for {sample}, though the scan returned that row");
            }
        }

        Add(what, samples.Count, watch);
    }

    /// <summary>Looks each sample up through an index and checks the result holds the sample.</summary>
    public async Task FindEachAsync<TSample, T>(string what, IReadOnlyList<TSample> samples, Func<TSample, CancellationToken, ValueTask<IReadOnlyList<T>>> find, Func<TSample, T, bool> isSample)
    {
        var watch = Stopwatch.StartNew();
        long rows = 0;
        foreach (var sample in samples)
        {
            var found = await find(sample, cancellationToken).ConfigureAwait(false);
            if (!found.Any(row => isSample(sample, row)))
            {
                throw Fail($"{what} did not return {sample}, though the scan did ({found.Count} other rows)");
            }

            rows += found.Count;
        }

        Add(what, rows, watch);
    }

    private void Add(string description, long rows, Stopwatch watch) =>
        _checks.Add(new ReadCheck(description, rows, watch.Elapsed.TotalMilliseconds));

    private FilixException Fail(string what) => new(
        $"Reading back the {database.Schema.Domain} database failed: {what}. The data on disk disagrees with itself; " +
        $"check the file with 'sqlite3 \"{database.Path}\" \"PRAGMA integrity_check\"' and restore it from a backup if it reports damage.",
        database.Path);
}

using System.Diagnostics;
using System.Globalization;

namespace Filix.Benchmarks.Scenarios;

/// <summary>
/// A second way to run the same benchmark methods, for machines shared with other work: BenchmarkDotNet measures
/// one method after another, so load that comes and goes lands on whichever peer runs at the time. Here the peers
/// of a category take turns in short blocks inside one process (the starting peer rotating each round), and each
/// peer's ratio to ADO.NET is the median of per-round ratios: load that changes over seconds hits all alike.
/// Run with <c>-- interleaved</c>; it reports, it does not replace the BenchmarkDotNet tables.
/// </summary>
internal static class Interleaved
{
    private const int Rounds = 25;

    public static async Task RunAsync(TextWriter output)
    {
        var reads = new ReadBenchmarks();
        await reads.SetupAsync();
        try
        {
            await CategoryAsync(output, "GetByKey", 2000,
                [
                    ("ADO.NET", () => Sync(reads.GetByKey_AdoNet())),
                    ("Filix", async () => await reads.GetByKey_Filix()),
                    ("Dapper", () => Sync(reads.GetByKey_Dapper())),
                    ("EF Core", () => Sync(reads.GetByKey_EfCore())),
                ]);
            await CategoryAsync(output, "Lookup", 1000,
                [
                    ("ADO.NET", () => Sync(reads.Lookup_AdoNet())),
                    ("Filix", async () => await reads.Lookup_Filix()),
                    ("Dapper", () => Sync(reads.Lookup_Dapper())),
                    ("EF Core", () => Sync(reads.Lookup_EfCore())),
                ]);
            await CategoryAsync(output, "Scan", 2,
                [
                    ("ADO.NET", () => Sync(reads.Scan_AdoNet())),
                    ("Filix", async () => await reads.Scan_Filix()),
                    ("Dapper", () => Sync(reads.Scan_Dapper())),
                    ("EF Core", () => Sync(reads.Scan_EfCore())),
                ]);
        }
        finally
        {
            reads.Cleanup();
        }

        var inserts = new InsertBenchmarks();
        await inserts.SetupAsync();
        try
        {
            // One insert per block, the table emptied before it (outside the timing) and checked after.
            await CategoryAsync(output, "InsertMany", 1,
                [
                    ("ADO.NET", () => Sync(inserts.Insert_AdoNet())),
                    ("Filix", async () => await inserts.Insert_Filix()),
                    ("Dapper", () => Sync(inserts.Insert_Dapper())),
                    ("EF Core", () => Sync(inserts.Insert_EfCore())),
                ],
                before: inserts.EmptyTable, after: inserts.CheckCount, rounds: 8);
        }
        finally
        {
            inserts.Cleanup();
        }
    }

    private static ValueTask Sync<T>(T _) => ValueTask.CompletedTask;

    private static async Task CategoryAsync(
        TextWriter output,
        string category,
        int block,
        (string Name, Func<ValueTask> Run)[] peers,
        Action? before = null,
        Action? after = null,
        int rounds = Rounds)
    {
        var times = peers.Select(_ => new List<double>()).ToArray();
        var bytes = new double[peers.Length];
        for (var round = -2; round < rounds; round++)
        {
            for (var turn = 0; turn < peers.Length; turn++)
            {
                var k = (turn + Math.Max(round, 0)) % peers.Length;
                before?.Invoke();
                // Every thread: a write runs on the writer thread, and an awaited call may resume on another one.
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < block; i++)
                {
                    await peers[k].Run();
                }

                var nanoseconds = clock.Elapsed.TotalNanoseconds / block;
                var perOp = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)block;
                after?.Invoke();
                if (round >= 0)
                {
                    times[k].Add(nanoseconds);
                    bytes[k] = perOp;
                }
            }
        }

        output.WriteLine($"{category} ({rounds} rounds of {block} per peer, medians)");
        output.WriteLine("| Peer | Median | Ratio to ADO.NET (median of rounds) | Allocated |");
        output.WriteLine("|---|---:|---:|---:|");
        for (var k = 0; k < peers.Length; k++)
        {
            var ratio = Median(times[k].Zip(times[0], (a, b) => a / b));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {peers[k].Name} | {Format(Median(times[k]))} | {ratio:F2} | {bytes[k] / 1024:F2} KB |"));
        }

        output.WriteLine();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Format(double nanoseconds) => nanoseconds >= 1_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000_000:F2} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000:F2} us");
}

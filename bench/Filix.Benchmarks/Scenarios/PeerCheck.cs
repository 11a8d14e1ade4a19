using Filix.Benchmarks.Data;
using Filix.Benchmarks.Peers;
using Filix.Domains.Entities;

namespace Filix.Benchmarks.Scenarios;

/// <summary>Before anything is timed: every peer must read back exactly the rows Filix reads (record equality),
/// or the comparison would be of different work.</summary>
internal static class PeerCheck
{
    public static async Task SameRowsAsync(PeerSet peers, string id)
    {
        var (filix, ado, dapper, ef) = (peers.Filix, peers.Ado, peers.Dapper, peers.Ef);
        var entity = await filix.Entities.GetAsync(id) ?? throw new InvalidOperationException($"Entity '{id}' is missing from the benchmark file.");
        Same("get", entity, ado.Get(id), dapper.Get(id), ef.Get(id));

        var events = await filix.Events.FindByEntityIdAsync(id);
        if (events.Count == 0)
        {
            throw new InvalidOperationException($"Entity '{id}' has no events in the benchmark file.");
        }

        Same("lookup", events, ado.FindEvents(id), dapper.FindEvents(id), ef.FindEvents(id));
        var scanned = 0;
        await foreach (var row in filix.Entities.ScanAsync())
        {
            scanned += row.Name.Length > 0 ? 1 : 0;
        }

        Same("scan", SampleData.EntityCount, scanned, ado.Scan(), dapper.Scan(), ef.Scan());
    }

    private static void Same<T>(string scenario, T expected, params T?[] peers)
    {
        string[] names = ["ADO.NET", "Dapper", "EF Core"];
        names = peers.Length == names.Length ? names : ["Filix", .. names];
        for (var i = 0; i < peers.Length; i++)
        {
            if (!Equal(expected, peers[i]))
            {
                throw new InvalidOperationException($"{names[i]} read different data than Filix in the '{scenario}' check: {expected} vs {peers[i]}.");
            }
        }
    }

    private static bool Equal<T>(T expected, T? actual) => expected is IEnumerable<Event> rows && actual is IEnumerable<Event> other
        ? rows.SequenceEqual(other)
        : EqualityComparer<T>.Default.Equals(expected, actual);
}

using Filix.Sync.Tests.Machines;
using Xunit.Abstractions;

namespace Filix.Sync.Tests.Convergence;

/// <summary>
/// Found by the randomized run (FINDINGS.md, 4; open): a machine that has pushed a table but never pulled it is not among
/// the machines compaction waits for, so the tombstone of a row it wrote can be compacted before it pulls; its first
/// pull (cursor 0) is then a plain full pull, not a resync, and the deleted row stays on it for good.
/// </summary>
[Collection(ConvergenceCollection.Name)]
public sealed class FirstPullTests(ConvergenceFixture postgres, ITestOutputHelper log)
{
    [Fact]
    public async Task A_row_deleted_elsewhere_before_its_writer_ever_pulled_is_deleted_on_the_writer_too()
    {
        var upstream = await postgres.CreateUpstreamAsync("first_pull");
        await using var fleet = await Fleet.CreateAsync(501, 2, upstream, [AllDomains.Entities], log);
        var (a, b) = (fleet.Machines[0], fleet.Machines[1]);
        var table = a["entities"].Tables.Single(t => t.Name == "entities");
        var random = new Random(501);
        var row = table.Columns.Select(c => c.Name == "id" ? "d-first-pull" : StoredValues.Generate(c, random, "x")).ToArray();

        fleet.Oracle.Add(await Writers.WriteAsync(a, WritePath.Sql, [new Op(table, OpKind.Insert, ["d-first-pull"], row, null, null)]));
        await fleet.SyncAsync(a, 10, SyncStep.Push); // A pushes, and has never pulled
        await fleet.SyncAsync(b, 10, SyncStep.Both); // B gets the row
        fleet.Oracle.Add(await Writers.WriteAsync(b, WritePath.Sql, [new Op(table, OpKind.Delete, ["d-first-pull"], null, null, row)]));
        await fleet.SyncAsync(b, 10, SyncStep.Both); // B pushes the delete; its pull compacts what every puller has seen
        await fleet.SyncUntilQuietAsync();
        await fleet.AssertConvergedAsync(fleet.SyncedTables());
    }
}

using Filix.Sync.Tests.Machines;
using Xunit.Abstractions;

namespace Filix.Sync.Tests.Convergence;

/// <summary>
/// "Whoever writes them": a json column holds whatever text the writer chose (System.Text.Json and
/// <c>json.dumps(..., separators=(',', ':'))</c> write no spaces; objects come in the writer's key order). Upstream
/// keeps json as <c>jsonb</c>, which re-spells it, so the machine that wrote a row and the machines that pulled it must
/// still hold the same text: otherwise replicas of one row differ byte for byte (and a reader comparing text, or a
/// hash of the row, sees two versions).
/// </summary>
[Collection(ConvergenceCollection.Name)]
public sealed class JsonSpellingTests(ConvergenceFixture postgres, ITestOutputHelper log)
{
    [Fact]
    public async Task Json_written_in_any_spelling_is_the_same_text_on_every_machine_after_sync()
    {
        var upstream = await postgres.CreateUpstreamAsync("json");
        await using var fleet = await Fleet.CreateAsync(401, 2, upstream, [AllDomains.Entities], log);
        var writer = fleet.Machines[0];
        var table = writer["entities"].Tables.Single(t => t.Name == "entities");
        var row = new object?[table.Columns.Count];
        foreach (var column in table.Columns)
        {
            row[column.Ordinal] = column.Name switch
            {
                "id" => "a-json-1",
                "aliases" => """["Jane","J. Doe"]""",
                "attributes" => """{"orcid":"0000-0002","h":12,"nested":{"b":1,"a":[1,2]}}""",
                _ => StoredValues.Generate(column, new Random(401), "json"),
            };
        }

        fleet.Oracle.Add(await Writers.WriteAsync(writer, WritePath.Sql, [new Op(table, OpKind.Insert, ["a-json-1"], row, null, null)]));
        await fleet.SyncUntilQuietAsync();
        var written = Snapshot.Local(writer, [table])[table.ToString()];
        var pulled = Snapshot.Local(fleet.Machines[1], [table])[table.ToString()];
        var mine = written.Single();
        var theirs = pulled.Single();
        Assert.True(mine.Key == theirs.Key && mine.Value == theirs.Value, $"the writer holds\n  {mine.Value}\nthe machine that pulled it holds\n  {theirs.Value}");
    }
}

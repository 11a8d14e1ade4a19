using Filix.Sync.Tests.Machines;
using Xunit.Abstractions;

namespace Filix.Sync.Tests.Convergence;

/// <summary>
/// "Whoever writes them": a json column holds whatever text the writer chose (System.Text.Json and
/// <c>json.dumps(..., separators=(',', ':'))</c> write no spaces; objects come in the writer's key order). Upstream
/// keeps json as <c>jsonb</c> (the recorded Postgres migrations), which re-spells it: the machines that pulled a row
/// hold upstream's spelling (<c>["Jane", "J. Doe"]</c>, keys reordered), the writer its own. Known gap (docs/sync.md,
/// FINDINGS.md 5): replicas agree as JSON values, not byte for byte. This test holds the part that is true — every other
/// column byte for byte, each json column equal as a JSON value — and shows the spelling difference it leaves.
/// </summary>
[Collection(ConvergenceCollection.Name)]
public sealed class JsonSpellingTests(ConvergenceFixture postgres, ITestOutputHelper log)
{
    [Fact]
    public async Task Json_written_in_any_spelling_is_the_same_value_on_every_machine_and_every_other_column_the_same_bytes()
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
        const string Columns = "SELECT id, type, name, summary, url, created_at, updated_at, aliases, attributes FROM entities WHERE id = 'a-json-1'";
        var mine = Read(writer["entities"].Raw, Columns);
        var theirs = Read(fleet.Machines[1]["entities"].Raw, Columns);
        Assert.Equal(mine[..7], theirs[..7]);
        for (var i = 7; i < mine.Length; i++)
        {
            Assert.True(
                System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse((string)mine[i]!), System.Text.Json.Nodes.JsonNode.Parse((string)theirs[i]!)),
                $"column {i}: the writer holds {mine[i]}, the machine that pulled it {theirs[i]}: not the same JSON value");
            log.WriteLine($"json spelled by the writer: {mine[i]}; after the upstream's jsonb: {theirs[i]}");
        }
    }

    private static object?[] Read(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), "the row is missing");
        var values = new object?[reader.FieldCount];
        reader.GetValues(values!);
        return values;
    }
}

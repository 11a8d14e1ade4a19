using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Filix.Generators.Tests;

/// <summary>
/// Generated code does what it says on a real SQLite file: a small typed probe is compiled together with the
/// generated code (so it uses the API exactly as a user would), loaded, and run. Keyword identifiers and every
/// type's stored form must survive a write and a read.
/// </summary>
public sealed class GeneratedCodeRunsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "filix-run-" + Guid.NewGuid().ToString("N")[..12]);

    public GeneratedCodeRunsTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task KeywordTablesAndColumnsRoundTrip()
    {
        var result = await RunProbeAsync("keywords", """
            namespace Filix.Tests.Keywords;

            public static class Probe
            {
                public static async System.Threading.Tasks.Task<string> RunAsync(string path)
                {
                    var from = new System.DateOnly(2024, 1, 31);
                    await using var db = await KeywordsDatabase.OpenAsync(path);
                    await db.Order.InsertAsync(new Order { Id = 1, Class = "a", Group = "g", From = from, OrderValue = 1.5 });
                    await db.Where.InsertAsync(new Where { Order = 1, In = "x" });
                    var row = (await db.Order.GetAsync(1))!;
                    var byGroup = await db.Order.GetByGroupAndFromAsync("g", from);
                    var byClass = await db.Order.FindByClassAsync("a");
                    await db.Order.UpdateAsync(row with { Class = "b" });
                    var updated = (await db.Order.GetAsync(1))!;
                    var wheres = await db.Where.FindByOrderAsync(1);
                    var deleted = await db.Where.DeleteAsync(1, "x");
                    return $"{row.Select}|{row.Default}|{row.From:yyyy-MM-dd}|{byGroup?.Id}|{byClass.Count}|{updated.Class}|{wheres.Count}|{deleted}|{await db.Where.CountAsync()}";
                }
            }
            """);

        // Defaults filled in (select = 1, default = 'default'), lookups over keyword columns, update and delete.
        Assert.Equal("1|default|2024-01-31|1|1|b|1|True|0", result);
    }

    [Fact]
    public async Task EveryTypeReadsBackAsWritten()
    {
        var result = await RunProbeAsync("all_types", """
            namespace Filix.Tests.AllTypes;

            public static class Probe
            {
                public static async System.Threading.Tasks.Task<string> RunAsync(string path)
                {
                    var written = new Sample
                    {
                        Id = System.Guid.NewGuid(),
                        Title = "t",
                        Note = "n",
                        MaybeCount = -5,
                        MaybeRatio = 0.25,
                        MaybeFlag = false,
                        Payload = new byte[] { 1, 2, 3 },
                        Thumbnail = null,
                        CreatedAt = new System.DateTimeOffset(2024, 1, 31, 12, 0, 0, System.TimeSpan.FromHours(2)).AddTicks(1234560),
                        SeenAt = System.DateTimeOffset.UnixEpoch,
                        EndsOn = new System.DateOnly(2030, 12, 31),
                        Extra = "{\"a\": 1}",
                        ParentId = System.Guid.Empty,
                    };
                    await using var db = await AllTypesDatabase.OpenAsync(path);
                    await db.Samples.InsertAsync(written);
                    var read = (await db.Samples.GetAsync(written.Id))!;
                    var same = read with { Payload = written.Payload } == written
                        && System.Linq.Enumerable.SequenceEqual(read.Payload, written.Payload);
                    return same ? "equal" : $"written {written}\nread    {read}";
                }
            }
            """);

        Assert.Equal("equal", result);
    }

    /// <summary>Generates code for a test schema, compiles it with <paramref name="probe"/>, and runs
    /// <c>Probe.RunAsync(path)</c> against a new database file.</summary>
    private async Task<string> RunProbeAsync(string schema, string probe)
    {
        var path = Path.Combine(TestPaths.TestSchemaDir, schema + FilixGenerator.SchemaFileSuffix);
        var output = GeneratorHarness.Run(GeneratorHarness.SchemaFile(path));
        Assert.Empty(output.Printed);
        var compilation = output.Compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(probe, GeneratorHarness.ParseOptions));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        // Collectible, and falling back to the test's own Filix.Runtime and Microsoft.Data.Sqlite.
        var context = new AssemblyLoadContext("filix-probe-" + schema, isCollectible: true);
        try
        {
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            var run = assembly.GetTypes().Single(t => t.Name == "Probe").GetMethod("RunAsync")!;
            return await (Task<string>)run.Invoke(null, [Path.Combine(_dir, schema + ".db")])!;
        }
        finally
        {
            context.Unload();
        }
    }
}

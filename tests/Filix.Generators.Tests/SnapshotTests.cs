using Filix.Generators.Parsing;
using Filix.Generators.Sql;

namespace Filix.Generators.Tests;

/// <summary>
/// What the generator writes, pinned by baselines under Snapshots/, for fixture copies of the seven domains
/// (Schemas/domains/) and for focused schemas under Schemas/. Every output must also compile against Filix.Runtime with no error and no warning.
/// </summary>
public sealed class SnapshotTests
{
    /// <summary>The domain fixtures (copies of schema/*.filix.yaml taken when they were last accepted), found when
    /// the tests run, so a new fixture is covered (and fails until its baselines are accepted).</summary>
    public static TheoryData<string> DomainFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(TestPaths.DomainSchemaDir, "*" + FilixGenerator.SchemaFileSuffix).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DomainFiles))]
    public void Domain(string fileName)
    {
        var output = GenerateAndCompile(Path.Combine(TestPaths.DomainSchemaDir, fileName));
        Snapshot.Verify("Domain." + fileName[..^FilixGenerator.SchemaFileSuffix.Length], output.Files);
    }

    [Fact]
    public void AllTypes()
    {
        var output = GenerateAndCompile(TestSchema("all_types"));
        Snapshot.Verify(nameof(AllTypes), output.Files);

        var record = Source(output, "AllTypes.Sample.g.cs");
        Assert.Contains("public required global::System.Guid Id { get; init; }", record);
        Assert.Contains("public string? Note { get; init; }", record);
        Assert.Contains("public long Count { get; init; } = 0L;", record);
        Assert.Contains("public double WholeRatio { get; init; } = 2.0;", record);
        Assert.Contains("public string Tags { get; init; } = \"[]\";", record);
        Assert.Contains("public global::System.DateTimeOffset CreatedAt { get; init; } = global::Filix.Runtime.FilixTimestamp.UtcNow;", record);
    }

    [Fact]
    public void CompositeKeys()
    {
        var output = GenerateAndCompile(TestSchema("composite_keys"));
        Snapshot.Verify(nameof(CompositeKeys), output.Files);

        // Each proper prefix of the key gets a lookup; the full key is GetAsync.
        var table = Source(output, "CompositeKeys.StatementsTable.g.cs");
        Assert.Contains("FindByEntityIdAsync(string entityId,", table);
        Assert.Contains("FindByEntityIdAndRoleAsync(string entityId, string role,", table);
        Assert.DoesNotContain("FindByEntityIdAndRoleAndRoleTypeAsync", table);
        Assert.Contains("GetAsync(string entityId, string role, string roleType,", table);
    }

    [Fact]
    public void UniqueIndexes()
    {
        var output = GenerateAndCompile(TestSchema("unique_indexes"));
        Snapshot.Verify(nameof(UniqueIndexes), output.Files);

        var table = Source(output, "UniqueIndexes.AccountsTable.g.cs");
        Assert.Contains("ValueTask<Account?> GetByEmailAsync(string email,", table);
        Assert.Contains("ValueTask<Account?> GetByHandleAsync(string handle,", table);
        Assert.Contains("ValueTask<Account?> GetByTenantAndSlugAsync(string tenant, string slug,", table);
        Assert.Contains("IReadOnlyList<Account>> FindByTenantAndRegionAsync(string tenant, string? region,", table);
        Assert.Contains("IReadOnlyList<Account>> FindByCreatedAtAsync(", table);
        var ddl = Source(output, "UniqueIndexes.Schema.g.cs");
        Assert.Contains("CREATE UNIQUE INDEX \\\"ux_accounts_tenant_slug\\\"", ddl);
        Assert.Contains("CREATE INDEX \\\"accounts_by_age\\\"", ddl);
    }

    [Fact]
    public void KeywordsAsIdentifiers()
    {
        var output = GenerateAndCompile(TestSchema("keywords"));
        Snapshot.Verify(nameof(KeywordsAsIdentifiers), output.Files);

        var table = Source(output, "Keywords.OrderTable.g.cs");
        Assert.Contains("GetByGroupAndFromAsync(string @group, global::System.DateOnly @from,", table);
        Assert.Contains("SELECT \\\"id\\\", \\\"class\\\", \\\"group\\\", \\\"select\\\", \\\"default\\\", \\\"from\\\", \\\"order\\\" FROM \\\"order\\\"", table);
        // A column named like its record would shadow the type: it gets a suffix.
        Assert.Contains("public double? OrderValue { get; init; }", Source(output, "Keywords.Order.g.cs"));
        // '@' cannot escape a column named like the methods' own 'cancellationToken' parameter: it gets a suffix.
        var tokens = Source(output, "Keywords.TokensTable.g.cs");
        Assert.Contains("GetAsync(string cancellationTokenValue, long state, global::System.Threading.CancellationToken cancellationToken = default)", tokens);
        Assert.Contains("FindByCancellationTokenAsync(string cancellationTokenValue, global::System.Threading.CancellationToken cancellationToken = default)", tokens);
    }

    [Fact]
    public void LocalOnlyDomain()
    {
        var path = TestSchema("local_only");
        var output = GenerateAndCompile(path);
        Snapshot.Verify(nameof(LocalOnlyDomain), output.Files);

        var spec = SchemaParser.Parse(path, File.ReadAllText(path), GeneratorHarness.RootNamespace).Spec!;
        Assert.Empty(DdlBuilder.Statements(spec, SqlDialect.Postgres));
        Assert.Equal(2, DdlBuilder.Statements(spec, SqlDialect.Sqlite).Count);
        Assert.DoesNotContain(output.Files, f => f.HintName.Contains("Upstream", StringComparison.Ordinal));
        var schema = Source(output, "LocalOnly.Schema.g.cs");
        Assert.Contains("public static string PostgresDdl => Definition.PostgresScript;", schema);
        Assert.Contains("PostgresDdl = new string[]\n        {\n        },", schema);
        Assert.Contains("public sealed partial record CachedItem", Source(output, "LocalOnly.CachedItem.g.cs"));
    }

    private static string TestSchema(string name) => Path.Combine(TestPaths.TestSchemaDir, name + FilixGenerator.SchemaFileSuffix);

    private static GeneratorOutput GenerateAndCompile(string path)
    {
        var output = GeneratorHarness.Run(GeneratorHarness.SchemaFile(path));
        Assert.True(output.Diagnostics.Count == 0, $"{path} has schema errors:\n" + string.Join("\n", output.Printed));
        Assert.NotEmpty(output.Files);
        var problems = GeneratorHarness.CompileProblems(output.Compilation);
        Assert.True(problems.Count == 0, $"Code generated from {Path.GetFileName(path)} does not compile cleanly:\n" + string.Join("\n", problems));
        return output;
    }

    private static string Source(GeneratorOutput output, string hintName) =>
        output.Files.SingleOrDefault(f => f.HintName == hintName).Source
        ?? throw new Xunit.Sdk.XunitException($"No generated file '{hintName}'; generated: {string.Join(", ", output.Files.Select(f => f.HintName))}.");
}

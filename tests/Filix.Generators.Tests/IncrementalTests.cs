using System.Collections;
using System.Reflection;
using Filix.Generators.Model;
using Filix.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Filix.Generators.Tests;

/// <summary>
/// The pipeline caches as an incremental generator must (after System.Text.Json's
/// JsonSourceGeneratorIncrementalTests): a C# edit re-runs nothing, a YAML edit re-runs only that file's steps,
/// and the model the steps carry is plain, structurally-equatable data.
/// </summary>
public sealed class IncrementalTests
{
    private const string Shop = """
        domain: shop
        tables:
          items:
            sync: sync
            columns:
              id: { type: text, primary_key: true }
              name: text
        """;

    private const string Notes = """
        domain: notes
        tables:
          notes:
            sync: local
            columns:
              id: { type: integer, primary_key: true }
              body: text
        """;

    [Fact]
    public void UnrelatedCSharpEditLeavesEveryStepCached()
    {
        var schemas = new[] { GeneratorHarness.Schema("shop.filix.yaml", Shop), GeneratorHarness.Schema("notes.filix.yaml", Notes) };
        var compilation = GeneratorHarness.CreateCompilation(CSharpSyntaxTree.ParseText("class A { }", GeneratorHarness.ParseOptions));
        GeneratorDriver driver = GeneratorHarness.CreateDriver(schemas, trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Empty(first.Diagnostics);
        Assert.NotEmpty(first.GeneratedSources);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }", GeneratorHarness.ParseOptions)));
        var second = driver.GetRunResult().Results.Single();

        foreach (var step in new[] { FilixGenerator.Steps.Parse, FilixGenerator.Steps.Specs })
        {
            var outputs = Outputs(second, step);
            Assert.Equal(2, outputs.Count);
            Assert.All(outputs, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}"));
        }

        var sourceOutputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(sourceOutputs);
        Assert.All(sourceOutputs, output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Equal(first.GeneratedSources.Select(s => s.HintName), second.GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void EditingOneSchemaReRunsOnlyThatFile()
    {
        var shop = GeneratorHarness.Schema("shop.filix.yaml", Shop);
        var notes = GeneratorHarness.Schema("notes.filix.yaml", Notes);
        var compilation = GeneratorHarness.CreateCompilation();
        GeneratorDriver driver = GeneratorHarness.CreateDriver([shop, notes], trackSteps: true).RunGenerators(compilation);

        var edited = GeneratorHarness.Schema("shop.filix.yaml", Shop + "\n      price: { type: real, nullable: true }\n");
        driver = driver.ReplaceAdditionalText(shop, edited).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        Assert.Empty(result.Diagnostics);

        foreach (var step in new[] { FilixGenerator.Steps.Parse, FilixGenerator.Steps.Specs })
        {
            var byDomain = result.TrackedSteps[step]
                .SelectMany(s => s.Outputs)
                .ToDictionary(o => Spec(o.Value).Name, o => o.Reason);
            Assert.Equal(IncrementalStepRunReason.Modified, byDomain["shop"]);
            Assert.Equal(IncrementalStepRunReason.Cached, byDomain["notes"]);
        }

        Assert.Contains("Price", result.GeneratedSources.Single(s => s.HintName == "Shop.Item.g.cs").SourceText.ToString());
    }

    [Fact]
    public void TwoParsesOfTheSameTextAreEqual()
    {
        var a = SchemaParser.Parse("shop.filix.yaml", Shop, "Root");
        var b = SchemaParser.Parse("shop.filix.yaml", Shop, "Root");
        Assert.NotNull(a.Spec);
        Assert.NotSame(a.Spec, b.Spec);
        Assert.Equal(a.Spec, b.Spec);
        Assert.Equal(a.Spec!.GetHashCode(), b.Spec!.GetHashCode());
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());

        // And a different text is a different spec.
        var c = SchemaParser.Parse("shop.filix.yaml", Shop.Replace("name: text", "name: { type: text, nullable: true }", StringComparison.Ordinal), "Root");
        Assert.NotEqual(a.Spec, c.Spec);
    }

    [Fact]
    public void ParseResultsWithDiagnosticsAreEqual()
    {
        const string broken = "domain: shop\ntables:\n  items:\n    sync: always\n    columns:\n      id: { type: txet }\n";
        var a = SchemaParser.Parse("shop.filix.yaml", broken, "Root");
        var b = SchemaParser.Parse("shop.filix.yaml", broken, "Root");
        Assert.NotEmpty(a.Diagnostics);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    /// <summary>The model holds no Roslyn or YAML objects (they would pin compilations in memory and defeat
    /// caching): walk both the declared types and the actual values of a rich spec.</summary>
    [Fact]
    public void SpecHoldsOnlyPlainData()
    {
        var path = Path.Combine(TestPaths.TestSchemaDir, "all_types.filix.yaml");
        var spec = SchemaParser.Parse(path, File.ReadAllText(path), "Root").Spec;
        Assert.NotNull(spec);

        var visitedTypes = new HashSet<Type>();
        WalkType(typeof(DomainSpec), visitedTypes, "DomainSpec");
        Assert.Contains(typeof(ColumnSpec), visitedTypes);
        Assert.Contains(typeof(DefaultValue), visitedTypes);
        Assert.Contains(typeof(ReferenceSpec), visitedTypes);

        var visited = 0;
        WalkValue(spec, "spec", ref visited);
        Assert.True(visited > 100, $"Only {visited} values walked: the walk does not reach the columns.");
    }

    private static readonly Type[] Forbidden =
    [
        typeof(ISymbol), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxNode), typeof(SyntaxTree),
        typeof(Location), typeof(AdditionalText), typeof(YNode),
    ];

    private static void CheckType(Type type, string path)
    {
        foreach (var forbidden in Forbidden)
        {
            Assert.False(forbidden.IsAssignableFrom(type), $"{path} is a {type.FullName}, which is a {forbidden.Name}: the pipeline must carry plain data.");
        }
    }

    private static void WalkType(Type type, HashSet<Type> visited, string path)
    {
        CheckType(type, path);
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || !visited.Add(type))
        {
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            WalkType(type.GetGenericArguments()[0], visited, path + "[]");
            return;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            WalkType(underlying, visited, path);
            return;
        }

        Assert.True(type.Namespace == typeof(DomainSpec).Namespace, $"{path} has type {type.FullName}, outside the model: only model types, strings, primitives and EquatableArray belong in a spec.");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract")
            {
                WalkType(property.PropertyType, visited, path + "." + property.Name);
            }
        }
    }

    private static void WalkValue(object? value, string path, ref int visited)
    {
        if (value is null)
        {
            return;
        }

        visited++;
        var type = value.GetType();
        CheckType(type, path);
        if (type.IsPrimitive || type.IsEnum || value is string)
        {
            return;
        }

        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                WalkValue(item, $"{path}[{i++}]", ref visited);
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                WalkValue(property.GetValue(value), path + "." + property.Name, ref visited);
            }
        }
    }

    private static List<IncrementalStepRunReason> Outputs(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

    private static DomainSpec Spec(object value) => value switch
    {
        DomainSpec spec => spec,
        ParseResult result => result.Spec!,
        _ => throw new Xunit.Sdk.XunitException($"Unexpected step value {value.GetType()}"),
    };
}

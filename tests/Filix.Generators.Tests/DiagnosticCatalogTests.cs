using System.Reflection;
using Filix.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Filix.Generators.Tests;

/// <summary>Every descriptor is tested, documented at the anchor its help link names, and release-tracked.</summary>
public sealed class DiagnosticCatalogTests
{
    private static readonly List<DiagnosticDescriptor> Descriptors = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToList();

    /// <summary>The schema block (FLX00xx), tested here; migration lint and history (FLX01xx) are tested by
    /// tests/Filix.Migrations.Tests, where the differ and the history tool live.</summary>
    private static readonly List<DiagnosticDescriptor> SchemaDescriptors = Descriptors.Where(d => d.Id.StartsWith("FLX00", StringComparison.Ordinal)).ToList();

    [Fact]
    public void IdsAreUniqueAndInTheirBlocks()
    {
        Assert.Equal(23, SchemaDescriptors.Count);
        Assert.Equal(Descriptors.Count, Descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(Descriptors, d => Assert.Matches("^FLX0[01][0-9]{2}$", d.Id));
    }

    [Fact]
    public void EveryDiagnosticHasATest()
    {
        var tested = typeof(DiagnosticTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(m => m.Name.Split('_')[0])
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(SchemaDescriptors, d => Assert.True(tested.Contains(d.Id), $"No DiagnosticTests method starts with {d.Id}_."));
    }

    [Fact]
    public void EveryDiagnosticIsDocumentedAtItsHelpLink()
    {
        var docs = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "diagnostics.md"));
        foreach (var descriptor in Descriptors)
        {
            var anchor = descriptor.Id.ToLowerInvariant();
            Assert.EndsWith("docs/diagnostics.md#" + anchor, descriptor.HelpLinkUri, StringComparison.Ordinal);
            Assert.Contains($"<a id=\"{anchor}\"></a>\n## {descriptor.Id}: {descriptor.Title}\n", docs.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryDiagnosticIsReleaseTracked()
    {
        var unshipped = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "Filix.Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.All(Descriptors, d => Assert.Contains($"{d.Id} | {d.Category} | Error | {d.Title}", unshipped, StringComparison.Ordinal));
    }
}

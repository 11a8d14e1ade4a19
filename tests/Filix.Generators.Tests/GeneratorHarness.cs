using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Filix.Generators.Tests;

/// <summary>Runs <see cref="FilixGenerator"/> in-process, as the compiler would: schema files as additional texts,
/// the project's root namespace as a build property, and a compilation over the runtime's references so generated
/// code can be checked to compile.</summary>
internal static class GeneratorHarness
{
    public const string RootNamespace = "Filix.Tests";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static AdditionalText Schema(string path, string text) => new SchemaText(path, text);

    public static AdditionalText SchemaFile(string path) => new SchemaText(path, File.ReadAllText(path));

    public static CSharpGeneratorDriver CreateDriver(IEnumerable<AdditionalText> schemas, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new FilixGenerator().AsSourceGenerator() },
            schemas,
            ParseOptions,
            new BuildProperties(RootNamespace),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>An empty library compilation against the framework, Filix.Runtime, Microsoft.Data.Sqlite and Npgsql.</summary>
    public static CSharpCompilation CreateCompilation(params SyntaxTree[] trees) =>
        CSharpCompilation.Create(
            "Filix.Generated",
            trees,
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                // As in every Filix project: the SDK's default NoWarn (CS1701/CS1702: assembly version unification)
                // and CS1591 (missing XML comment). Every other warning counts.
                specificDiagnosticOptions: new[] { "CS1591", "CS1701", "CS1702" }.ToDictionary(id => id, _ => ReportDiagnostic.Suppress)));

    /// <summary>Runs the generator over <paramref name="schemas"/>; returns what it generated and reported, and
    /// the compilation with the generated files added.</summary>
    public static GeneratorOutput Run(params AdditionalText[] schemas)
    {
        var driver = CreateDriver(schemas).RunGeneratorsAndUpdateCompilation(CreateCompilation(), out var output, out _, CancellationToken.None);
        var result = driver.GetRunResult();
        return new GeneratorOutput(result, output);
    }

    /// <summary>Diagnostics of the compiled output at warning level or above, as the compiler prints them.</summary>
    public static IReadOnlyList<string> CompileProblems(Compilation compilation) =>
        compilation.GetDiagnostics(CancellationToken.None)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The framework part of the test process's trusted platform assemblies, plus what generated code uses.
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDir, StringComparison.Ordinal));
        var runtime = new[]
        {
            typeof(Filix.Runtime.FilixDatabase).Assembly.Location,
            typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly.Location,
            typeof(Npgsql.NpgsqlConnection).Assembly.Location,
        };
        return trusted.Concat(runtime).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }

    private sealed class SchemaText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>The build properties the generator reads (CompilerVisibleProperty in Filix.Generators.props).</summary>
    private sealed class BuildProperties(string rootNamespace) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new Dictionary<string, string>
        {
            ["build_property.RootNamespace"] = rootNamespace,
        });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>());

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
                values.TryGetValue(key, out value);
        }
    }
}

/// <summary>One generator run: generated files by hint name, the generator's diagnostics, the updated compilation.</summary>
internal sealed record GeneratorOutput(GeneratorDriverRunResult Result, Compilation Compilation)
{
    public IReadOnlyList<(string HintName, string Source)> Files =>
        Result.Results.SelectMany(r => r.GeneratedSources).Select(s => (s.HintName, s.SourceText.ToString())).ToList();

    public IReadOnlyList<Diagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>The generator's diagnostics as the compiler prints them: <c>file(line,col): error FLX0003: ...</c>.</summary>
    public IReadOnlyList<string> Printed => Result.Diagnostics.Select(d => d.ToString()).ToList();
}

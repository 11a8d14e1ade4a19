namespace Filix.Generators.Tests;

/// <summary>
/// The generator in a real <c>dotnet build</c> of a project that uses it as its users will: a schema mistake is a
/// build error at the YAML line and column, and fixing the schema changes the typed API that C# code compiles against.
/// Slow (two builds as child processes), so there is one test.
/// </summary>
public sealed class BuildTests : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "filix-build-" + Guid.NewGuid().ToString("N")[..12]);

    public BuildTests() => Directory.CreateDirectory(Path.Combine(_dir, "schema"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SchemaErrorFailsTheBuildAtItsLineAndFixingItChangesTheTypedApi()
    {
        var src = Path.Combine(TestPaths.RepoRoot, "src");
        File.WriteAllText(Path.Combine(_dir, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <RootNamespace>Sample</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{src}/Filix.Runtime/Filix.Runtime.csproj" />
                <ProjectReference Include="{src}/Filix.Generators/Filix.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                <AdditionalFiles Include="schema/*.filix.yaml" />
              </ItemGroup>
              <Import Project="{src}/Filix.Generators/build/Filix.Generators.props" />
            </Project>
            """);
        var schema = Path.Combine(_dir, "schema", "x.filix.yaml");
        File.WriteAllText(schema, """
            domain: x
            tables:
              things:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: { type: txet }
            """);

        // Restore once, not the referenced projects again (the test run built them); both builds reuse it.
        var (restored, restoreOutput) = await DotnetAsync("restore", "-nologo", "-p:RestoreRecursive=false");
        Assert.True(restored == 0, "Restoring the sample project failed:\n" + restoreOutput);

        var (failed, output) = await BuildAsync();
        Assert.True(failed != 0, "The build with a schema typo succeeded:\n" + output);
        Assert.Contains("x.filix.yaml(7,21): error FLX0003: Column 'name' has unknown type 'txet' (did you mean 'text'?)", output);

        File.WriteAllText(schema, """
            domain: x
            tables:
              things:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: { type: text }
                  size: { type: integer, default: 0 }
            """);
        File.WriteAllText(Path.Combine(_dir, "Use.cs"), """
            namespace Sample;

            public static class Use
            {
                public static X.Thing Make() => new() { Id = "a", Name = "b", Size = 3 };

                public static long SizeOf(X.Thing thing) => thing.Size;

                public static System.Threading.Tasks.Task<X.XDatabase> Open(string folder) => X.XDatabase.OpenInFolderAsync(folder);
            }
            """);

        var (exitCode, fixedOutput) = await BuildAsync();
        Assert.True(exitCode == 0, "The build with the fixed schema failed:\n" + fixedOutput);
        Assert.DoesNotContain("FLX0", fixedOutput);
    }

    private async Task<(int ExitCode, string Output)> BuildAsync()
    {
        var result = await Filix.Testing.DotnetCli.BuildAsync(_dir, BuildTimeout);
        return (result.ExitCode, result.Output);
    }

    private async Task<(int ExitCode, string Output)> DotnetAsync(params string[] args)
    {
        var result = await Filix.Testing.DotnetCli.RunAsync(_dir, BuildTimeout, args);
        return (result.ExitCode, result.Output);
    }
}

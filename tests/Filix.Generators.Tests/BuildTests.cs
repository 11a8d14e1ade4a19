using System.Diagnostics;

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

    /// <summary>Builds the sample in the test's own configuration, using the generator and runtime the test run
    /// already built (so no second copy of them is compiled).</summary>
    private Task<(int ExitCode, string Output)> BuildAsync()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return DotnetAsync("build", "-c", configuration, "-nologo", "-nodeReuse:false", "--no-restore", "-p:BuildProjectReferences=false", "-clp:NoSummary");
    }

    private async Task<(int ExitCode, string Output)> DotnetAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start 'dotnet {args[0]}'.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(BuildTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet {string.Join(' ', args)}' in {_dir} did not finish within {BuildTimeout.TotalMinutes} minutes.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}

using Filix.Testing;

namespace Filix.RealWorld.Tests;

/// <summary>
/// A console app outside the Filix solution whose project file is App/RealWorldApp.csproj.template, the one
/// docs/schema.md gives ("Using it in a project"). Built with BuildProjectReferences=false: the test run has already
/// built src/ (this test project references it), so a build compiles the app and nothing else.
/// </summary>
internal sealed class OutsideProject(string directory, string name)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    public string Directory { get; } = directory;

    public string Name { get; } = name;

    public string OutputDirectory => Path.Combine(Directory, "bin", RepoPaths.Configuration, "net10.0");

    /// <summary>The template with this checkout's src/ as FilixSource.</summary>
    public static string ProjectFile() =>
        File.ReadAllText(Path.Combine(RepoPaths.Output, "App", "RealWorldApp.csproj.template"))
            .Replace("{{FILIX_SRC}}", RepoPaths.Src, StringComparison.Ordinal);

    /// <summary>Writes the project file, and <paramref name="phase"/> (INITIAL, EVOLVED) as a compilation symbol in a
    /// Directory.Build.props beside it, so that the project file stays the documented one.</summary>
    public void Write(string phase)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, Name + ".csproj"), ProjectFile());
        File.WriteAllText(Path.Combine(Directory, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <DefineConstants>$(DefineConstants);{phase}</DefineConstants>
              </PropertyGroup>
            </Project>
            """);
    }

    /// <summary>Builds quietly (errors and warnings only). The first build restores in the same process (one dotnet
    /// start instead of two; src/ is restored already, hence RestoreRecursive=false); later ones skip the restore,
    /// as only the schemas and the compilation symbol change. Without the SDK's code analyzers (their warnings are not
    /// what this suite checks, and they cost a tenth of a build) and without an apphost (the program is run with
    /// <c>dotnet RealWorldApp.dll</c>).</summary>
    public Task<DotnetCli.Result> BuildAsync(bool restore) =>
        DotnetCli.RunAsync(Directory, BuildTimeout,
        [
            "build", "-c", RepoPaths.Configuration, "-nologo", "-v", "q", "-clp:NoSummary", "-nodeReuse:false",
            "-p:BuildProjectReferences=false", "-p:RunAnalyzers=false", "-p:UseAppHost=false",
            .. restore ? (string[])["-p:RestoreRecursive=false"] : ["--no-restore"],
        ]);

    public static void CopyDirectory(string from, string to)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}

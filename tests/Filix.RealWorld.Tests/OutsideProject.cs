namespace Filix.RealWorld.Tests;

/// <summary>
/// A console app outside the Filix solution, set up from App/RealWorldApp.csproj.template (the docs' setup: the
/// runtime and the generator by path, the migration tool, the schemas as additional files, the props and the
/// migrations targets imported). Restored once; built with BuildProjectReferences=false, as the test run has already
/// built src/ (this test project references it), so a build compiles the app and nothing else.
/// </summary>
internal sealed class OutsideProject(string directory, string name)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    public string Directory { get; } = directory;

    public string Name { get; } = name;

    public string OutputDirectory => Path.Combine(Directory, "bin", RepoPaths.Configuration, "net10.0");

    /// <summary>Writes the project file; <paramref name="phase"/> is a compilation symbol (INITIAL, EVOLVED).</summary>
    public void WriteProjectFile(string schemas, string phase)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var template = File.ReadAllText(Path.Combine(RepoPaths.Output, "App", "RealWorldApp.csproj.template"));
        File.WriteAllText(Path.Combine(Directory, Name + ".csproj"), template
            .Replace("{{FILIX_SRC}}", RepoPaths.Src, StringComparison.Ordinal)
            .Replace("{{SCHEMAS}}", schemas, StringComparison.Ordinal)
            .Replace("{{PHASE}}", phase, StringComparison.Ordinal));
    }

    public Task<ChildProcess.Result> RestoreAsync() =>
        ChildProcess.DotnetAsync(Directory, BuildTimeout, "restore", "-nologo", "-p:RestoreRecursive=false");

    public Task<ChildProcess.Result> BuildAsync() =>
        ChildProcess.DotnetAsync(Directory, BuildTimeout, "build", "-c", RepoPaths.Configuration, "-nologo", "-nodeReuse:false", "--no-restore",
            "-p:BuildProjectReferences=false", "-clp:NoSummary");

    /// <summary>Restores, then builds; the first failure's output is the result.</summary>
    public async Task<ChildProcess.Result> RestoreAndBuildAsync()
    {
        var restore = await RestoreAsync();
        return restore.Succeeded ? await BuildAsync() : restore;
    }

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

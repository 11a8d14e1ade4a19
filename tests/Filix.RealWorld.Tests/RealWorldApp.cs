using Filix.Testing;
using Filix.Testing.Postgres;

namespace Filix.RealWorld.Tests;

/// <summary>
/// The new user's app over Chinook, Northwind and Sakila, built twice per test run: once with Schemas/v1 (phase
/// INITIAL) and once after the edit to Schemas/v2 (phase EVOLVED), in the same folder, so the second build records
/// each domain's second migration next to its first. Layout as in this repository (the docs' example paths):
/// <c>&lt;temp&gt;/schema/*.filix.yaml</c> and the app in <c>&lt;temp&gt;/src/RealWorldApp</c>. Each build's output
/// is copied aside (app-v1, app-v2) so both programs can run afterwards.
/// </summary>
public sealed class RealWorldApp : IAsyncLifetime
{
    public static readonly string[] Domains = ["chinook", "northwind", "sakila"];

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _root = TempDirectory.Create("realworld");
    private readonly Dictionary<string, Task<string>> _upstreams = [];
    private int _folders;

    private string SchemaDirectory => _root.File("schema");

    /// <summary>The build with the schemas as published, and its program.</summary>
    public Build Initial { get; private set; } = Build.NotRun("not started");

    /// <summary>The build after the edit, and its program.</summary>
    public Build Evolved { get; private set; } = Build.NotRun("not started");

    /// <summary>The files named <paramref name="name"/> among the sources: the temp folder without build outputs
    /// (bin/, obj/, the copied programs) and test data.</summary>
    public IEnumerable<string> SourceFiles(string name) =>
        Directory.EnumerateFiles(_root.Path, name, SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(_root.Path, f).Split(Path.DirectorySeparatorChar)
                .Any(part => part is "bin" or "obj" or "app-v1" or "app-v2" || part.StartsWith("data-", StringComparison.Ordinal)));

    /// <summary>A folder for one test's SQLite files, inside this run's temp folder.</summary>
    public string NewDataFolder(string name)
    {
        var path = _root.File($"data-{name}-{Interlocked.Increment(ref _folders)}");
        Directory.CreateDirectory(path);
        return path;
    }

    public async Task InitializeAsync()
    {
        var project = new OutsideProject(_root.File(Path.Combine("src", "RealWorldApp")), "RealWorldApp");
        Directory.CreateDirectory(SchemaDirectory);
        CopySchemas("v1");
        foreach (var source in Directory.EnumerateFiles(Path.Combine(RepoPaths.Output, "App"), "*.cs"))
        {
            Directory.CreateDirectory(project.Directory);
            File.Copy(source, Path.Combine(project.Directory, Path.GetFileName(source)));
        }

        project.WriteProjectFile("../../schema/*.filix.yaml", "INITIAL");
        Initial = await BuildAsync(project, "app-v1");
        if (!Initial.Succeeded)
        {
            Evolved = Build.NotRun("the build before the edit failed");
            return;
        }

        CopySchemas("v2");
        project.WriteProjectFile("../../schema/*.filix.yaml", "EVOLVED");
        Evolved = await BuildAsync(project, "app-v2", restore: false);
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Runs a built program: <c>dotnet RealWorldApp.dll args...</c>.</summary>
    internal Task<ChildProcess.Result> RunAsync(Build build, params string[] args)
    {
        Assert.True(build.Succeeded, $"The outside project did not build ({build.Problem}):\n{build.Output}");
        return ChildProcess.DotnetAsync(_root.Path, RunTimeout, [Path.Combine(build.Directory!, "RealWorldApp.dll"), .. args]);
    }

    /// <summary>One Postgres database per <paramref name="name"/> for the whole run, shared by every domain.</summary>
    public Task<string> UpstreamAsync(PostgresFixture postgres, string name)
    {
        lock (_upstreams)
        {
            if (!_upstreams.TryGetValue(name, out var database))
            {
                database = postgres.CreateDatabaseAsync(name);
                _upstreams[name] = database;
            }

            return database;
        }
    }

    private void CopySchemas(string version)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Output, "Schemas", version), "*.filix.yaml"))
        {
            File.Copy(file, Path.Combine(SchemaDirectory, Path.GetFileName(file)), overwrite: true);
        }
    }

    private async Task<Build> BuildAsync(OutsideProject project, string copyName, bool restore = true)
    {
        // The second build changes only the schemas and a compilation symbol: the first build's restore holds.
        var result = restore ? await project.RestoreAndBuildAsync() : await project.BuildAsync();
        if (!result.Succeeded)
        {
            return new Build(null, result.Output, $"dotnet build exited with {result.ExitCode}");
        }

        var copy = _root.File(copyName);
        OutsideProject.CopyDirectory(project.OutputDirectory, copy);
        return new Build(copy, result.Output, null);
    }

    /// <summary>A build of the app: where its program was copied (null when it failed), and what the build printed.</summary>
    public sealed record Build(string? Directory, string Output, string? Problem)
    {
        public bool Succeeded => Directory is not null;

        public static Build NotRun(string why) => new(null, string.Empty, why);
    }
}

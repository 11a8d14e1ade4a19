using Filix.Testing;
using Filix.Testing.Postgres;

namespace Filix.RealWorld.Tests;

/// <summary>
/// The new user's app over Chinook, Northwind and Sakila, built twice per test run: once with Schemas/v1 (phase
/// INITIAL) and once after the edit to Schemas/v2 (phase EVOLVED), in the same folder, so the second build records
/// each domain's second migration next to its first. Laid out as docs/schema.md says: <c>&lt;temp&gt;/src/RealWorldApp</c>
/// with its schemas in <c>schema/</c> beside the project file and their histories in <c>schema/migrations/&lt;domain&gt;</c>.
/// Another project's schema sits at <c>&lt;temp&gt;/schema</c> (<c>../../schema</c> from the app, where the migrations
/// targets once looked by default): the app neither reads nor writes it. Each build's output is copied aside (app-v1,
/// app-v2) so both programs can run afterwards.
/// </summary>
/// <remarks>The builds run in the background from <see cref="InitializeAsync"/>: the Postgres fixture starts meanwhile,
/// and the tests of the first program (run first, <see cref="InitialBuildFirst"/>) run while the second builds.</remarks>
public sealed class RealWorldApp : IAsyncLifetime
{
    public static readonly string[] Domains = ["chinook", "northwind", "sakila"];

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _root = TempDirectory.Create("realworld");
    private readonly Dictionary<string, Task<string>> _upstreams = [];
    private readonly OutsideProject _project;
    private int _folders;

    public RealWorldApp()
    {
        _project = new OutsideProject(_root.File(Path.Combine("src", "RealWorldApp")), "RealWorldApp");
        Initial = Task.FromResult(Build.NotRun("not started"));
        Evolved = Initial;
    }

    /// <summary>The app's schemas, beside its project file.</summary>
    public string SchemaDirectory => Path.Combine(_project.Directory, "schema");

    /// <summary>Another project's schemas, at <c>../../schema</c> from the app.</summary>
    public string OtherSchemaDirectory => _root.File("schema");

    public string Root => _root.Path;

    /// <summary>The build with the schemas as published, and its program.</summary>
    public Task<Build> Initial { get; private set; }

    /// <summary>The build after the edit, and its program.</summary>
    public Task<Build> Evolved { get; private set; }

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

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(SchemaDirectory);
        Directory.CreateDirectory(OtherSchemaDirectory);
        File.WriteAllText(Path.Combine(OtherSchemaDirectory, "other.filix.yaml"), """
            domain: other
            tables:
              notes:
                sync: local
                columns:
                  id: { type: integer, primary_key: true }
            """);
        foreach (var source in Directory.EnumerateFiles(Path.Combine(RepoPaths.Output, "App"), "*.cs"))
        {
            File.Copy(source, Path.Combine(_project.Directory, Path.GetFileName(source)));
        }

        Initial = Task.Run(() => BuildAsync("v1", "INITIAL", "app-v1", restore: true));
        Evolved = BuildEvolvedAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        // No build may still write into the folder being deleted.
        await Task.WhenAll(Initial, Evolved).ContinueWith(static _ => { }, TaskScheduler.Default);
        _root.Dispose();
    }

    /// <summary>Runs a built program: <c>dotnet RealWorldApp.dll args...</c>.</summary>
    internal Task<DotnetCli.Result> RunAsync(Build build, params string[] args)
    {
        Assert.True(build.Succeeded, $"The outside project did not build ({build.Problem}):\n{build.Output}");
        return DotnetCli.RunAsync(_root.Path, RunTimeout, [Path.Combine(build.Directory!, "RealWorldApp.dll"), .. args]);
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

    private async Task<Build> BuildEvolvedAsync()
    {
        var initial = await Initial;
        return initial.Succeeded
            ? await BuildAsync("v2", "EVOLVED", "app-v2", restore: false)
            : Build.NotRun("the build before the edit failed");
    }

    private async Task<Build> BuildAsync(string version, string phase, string copyName, bool restore)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Output, "Schemas", version), "*.filix.yaml"))
        {
            File.Copy(file, Path.Combine(SchemaDirectory, Path.GetFileName(file)), overwrite: true);
        }

        _project.Write(phase);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await _project.BuildAsync(restore);
        var took = $"(dotnet build of {version} took {started.Elapsed.TotalSeconds:0.0} s)";
        if (!result.Succeeded)
        {
            return new Build(null, $"{result.Output}\n{took}", $"dotnet build exited with {result.ExitCode}");
        }

        var copy = _root.File(copyName);
        OutsideProject.CopyDirectory(_project.OutputDirectory, copy);
        return new Build(copy, $"{result.Output}\n{took}", null);
    }

    /// <summary>A build of the app: where its program was copied (null when it failed), and what the build printed.</summary>
    public sealed record Build(string? Directory, string Output, string? Problem)
    {
        public bool Succeeded => Directory is not null;

        public static Build NotRun(string why) => new(null, string.Empty, why);
    }
}

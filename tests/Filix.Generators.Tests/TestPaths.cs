namespace Filix.Generators.Tests;

/// <summary>Where the repository's files are: tests read schemas and baselines from the source tree, so that
/// accepting a snapshot updates the file under version control rather than a copy in bin/.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ProjectDir => Path.Combine(RepoRoot, "tests", "Filix.Generators.Tests");

    /// <summary>Copies of the seven domains' schemas (schema/*.filix.yaml) as fixtures: the snapshots pin the
    /// generator's output for fixed inputs, so editing a live schema (the README's walk) does not break them.</summary>
    public static string DomainSchemaDir => Path.Combine(TestSchemaDir, "domains");

    public static string TestSchemaDir => Path.Combine(ProjectDir, "Schemas");

    public static string SnapshotDir => Path.Combine(ProjectDir, "Snapshots");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Filix.Schema.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Filix.Schema.sln above {AppContext.BaseDirectory}: run the tests from inside the repository.");
    }
}

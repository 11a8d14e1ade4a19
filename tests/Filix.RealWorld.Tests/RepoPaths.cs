namespace Filix.RealWorld.Tests;

internal static class RepoPaths
{
    /// <summary>The checkout this test assembly was built from (the folder holding Filix.Schema.sln).</summary>
    public static string Root { get; } = FindRoot();

    public static string Src => Path.Combine(Root, "src");

    /// <summary>The test's own files (App/, Schemas/), as copied to the build output.</summary>
    public static string Output => AppContext.BaseDirectory;

    /// <summary>The configuration this test assembly was built in; the outside app is built in the same one, as the
    /// migrations targets run the migration tool from src/Filix.Migrations.Tool/bin/&lt;Configuration&gt;.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string FindRoot()
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

namespace Filix.Testing;

/// <summary>
/// A fresh folder under the system temp folder, deleted on dispose. Set <c>FILIX_KEEP_TEMP=1</c> to keep it for
/// a post-mortem (its path is printed to stderr then).
/// </summary>
public sealed class TempDirectory : IDisposable
{
    private TempDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>Whether folders are kept after the test (<c>FILIX_KEEP_TEMP=1</c>).</summary>
    public static bool Keep => Environment.GetEnvironmentVariable("FILIX_KEEP_TEMP") == "1";

    /// <summary>Creates a unique folder named <c>filix-&lt;prefix&gt;-&lt;random&gt;</c> (mode 0700 on Unix).</summary>
    public static TempDirectory Create(string prefix = "test") =>
        new(Directory.CreateTempSubdirectory($"filix-{prefix}-").FullName);

    /// <summary>The path of <paramref name="name"/> inside this folder (not created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public override string ToString() => Path;

    public void Dispose()
    {
        if (Keep)
        {
            Console.Error.WriteLine($"FILIX_KEEP_TEMP=1: kept {Path}");
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone: nothing to clean up.
        }
    }
}

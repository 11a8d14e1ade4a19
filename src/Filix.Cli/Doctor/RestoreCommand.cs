namespace Filix.Cli.Doctor;

/// <summary>The restore command doctor prints for a damaged database.</summary>
internal static class RestoreCommand
{
    /// <summary><c>filix restore --latest --domain D --data DIR</c>: the last verified backup back in place, the damaged
    /// file kept aside (docs/reliability/backups.md).</summary>
    public static string For(string path, string domain, string dataFolder) =>
        $"filix restore --latest --domain {domain} --data {Quote(dataFolder)}";

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : path;
}

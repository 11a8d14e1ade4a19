using System.Globalization;

namespace Filix.Runtime.Backups;

/// <summary>
/// Where the backups of a database live and what they are. Backups of <c>&lt;dir&gt;/&lt;name&gt;.db</c> live in
/// <c>&lt;dir&gt;/backups/&lt;name&gt;/</c>, one file per backup, <c>&lt;name&gt;-&lt;yyyyMMddTHHmmssfffZ&gt;.db.gz</c>
/// (gzip of a complete SQLite database file), and <c>&lt;dir&gt;/backups/&lt;name&gt;/manifest.json</c> lists them.
/// A file in the folder but not in the manifest is not a backup (a crash between writing and listing it, or a
/// temporary file); the manifest is the truth. Other parts of Filix (health, doctor) read backups only through here.
/// </summary>
public static class BackupCatalog
{
    /// <summary>The manifest's file name inside a database's backup folder.</summary>
    public const string ManifestName = "manifest.json";

    internal const string TimeFormat = "yyyyMMdd'T'HHmmssfff'Z'";

    /// <summary>The name backups are filed under: the database file's name without <c>.db</c>.</summary>
    public static string NameOf(string databasePath)
    {
        var file = System.IO.Path.GetFileName(databasePath);
        return file.EndsWith(".db", StringComparison.OrdinalIgnoreCase) ? file[..^3] : file;
    }

    /// <summary>The folder holding the backups of <paramref name="databasePath"/>.</summary>
    public static string FolderOf(string databasePath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(databasePath))!, "backups", NameOf(databasePath));

    /// <summary>The manifest listing the backups of <paramref name="databasePath"/>.</summary>
    public static string ManifestOf(string databasePath) => System.IO.Path.Combine(FolderOf(databasePath), ManifestName);

    /// <summary>The file a backup taken at <paramref name="takenAt"/> is written to.</summary>
    public static string FileFor(string databasePath, DateTimeOffset takenAt) =>
        System.IO.Path.Combine(FolderOf(databasePath), NameOf(databasePath) + "-" + takenAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + ".db.gz");

    /// <summary>Every backup listed in the manifest, newest first; empty when there is none (or no manifest).</summary>
    /// <exception cref="FilixException">The manifest exists but cannot be read or parsed.</exception>
    public static IReadOnlyList<BackupEntry> List(string databasePath) =>
        BackupManifest.Read(ManifestOf(databasePath)).OrderByDescending(e => e.TakenAt).ToList();

    /// <summary>The newest backup that was verified and whose file is still there, or null.</summary>
    /// <remarks>Never throws for an unreadable manifest (health reports call it while already reporting a problem):
    /// an unreadable manifest is treated as no backup.</remarks>
    public static BackupEntry? LatestVerified(string databasePath)
    {
        try
        {
            return List(databasePath).FirstOrDefault(e => e.Verified && System.IO.File.Exists(e.File));
        }
        catch (FilixException)
        {
            return null;
        }
    }

    /// <summary>The exact command that restores the latest verified backup of <paramref name="databasePath"/>.</summary>
    public static string RestoreCommand(string databasePath)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(databasePath))!;
        return $"filix restore --latest --domain {NameOf(databasePath)} --data {Quote(folder)}";
    }

    private static string Quote(string path) =>
        path.Length > 0 && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '\\' or ':')
            ? path
            : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

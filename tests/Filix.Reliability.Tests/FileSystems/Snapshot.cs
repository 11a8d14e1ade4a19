using System.Security.Cryptography;

namespace Filix.Reliability.Tests.FileSystems;

/// <summary>Every file of a folder with its length, time and hash: "nothing was created or changed" compared whole.</summary>
internal static class Snapshot
{
    public static IReadOnlyList<string> Of(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => File.Exists(path)
                ? $"{Path.GetRelativePath(folder, path)} {new FileInfo(path).Length} {File.GetLastWriteTimeUtc(path):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}"
                : Path.GetRelativePath(folder, path) + "/")
            .ToList();
}

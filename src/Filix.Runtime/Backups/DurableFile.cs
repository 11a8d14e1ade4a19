using System.Runtime.InteropServices;

namespace Filix.Runtime.Backups;

/// <summary>
/// Putting a file in place so that a crash or power cut leaves the old file or the complete new one, never part of
/// either: write a temporary file in the same folder, fsync it, rename it over the target, then fsync the folder
/// so the rename itself is durable (rename is atomic but only durable once the directory entry is on disk; see
/// SQLite's own "atomic commit" notes and the ext4 rename-replace discussion).
/// </summary>
internal static partial class DurableFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
    public static void Replace(string path, byte[] content)
    {
        var temp = TempName(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>A temporary name beside <paramref name="path"/>: a leading dot and a <c>.tmp</c> ending, so
    /// nothing that lists backups mistakes it for one.</summary>
    public static string TempName(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is named so that nothing takes it for a backup.
        }
    }

    /// <summary>fsync on the folder, so a rename or a new file in it survives a power cut. Windows has no
    /// directory fsync (NTFS journals its metadata); there it does nothing.</summary>
    public static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(folder, ORdOnly | ODirectory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open the folder '{folder}' to make a rename durable (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of the folder '{folder}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private const int ORdOnly = 0;

    // O_DIRECTORY: 0x10000 on x86-64 and 0x4000 on arm64 Linux; macOS 0x100000.
    private static int ODirectory => OperatingSystem.IsMacOS() ? 0x100000
        : RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

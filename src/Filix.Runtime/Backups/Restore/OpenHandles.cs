using System.Runtime.InteropServices;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Backups.Restore;

/// <summary>A process that has a database (or one of its -wal, -shm and Filix sidecar files) open.</summary>
public sealed record OpenHandle(int ProcessId, string CommandLine, string File);

/// <summary>
/// Who has a database open, so a restore never swaps the file under a live process (which would keep writing to the
/// renamed inode, or mix the old -wal with the new file). Linux: every <c>/proc/&lt;pid&gt;/fd</c> link that points
/// at the database or its companions, with the process's command line. Elsewhere, and in addition: whether some
/// process holds Filix's owner lock (<c>&lt;db&gt;-filix.owner</c>), the lock the process owning the shared writer
/// keeps for its lifetime.
/// </summary>
public static class OpenHandles
{
    public static IReadOnlyList<OpenHandle> Of(string databasePath)
    {
        var path = Path.GetFullPath(databasePath);
        var files = new HashSet<string>(StringComparer.Ordinal)
        {
            path, path + "-wal", path + "-shm", path + "-journal", DatabaseFile.OwnerFile(path), DatabaseFile.LockFile(path),
        };
        var found = new List<OpenHandle>();
        if (OperatingSystem.IsLinux() && Directory.Exists("/proc"))
        {
            foreach (var process in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(process), out var pid))
                {
                    continue;
                }

                try
                {
                    foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
                    {
                        var target = new FileInfo(fd).LinkTarget;
                        if (target is not null && files.Contains(target))
                        {
                            found.Add(new OpenHandle(pid, CommandLine(process), target));
                            break;
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Gone meanwhile, or another user's process we may not inspect (the owner lock still tells).
                }
            }
        }

        if (found.Count == 0 && OwnerLockHeld(DatabaseFile.OwnerFile(path)))
        {
            found.Add(new OpenHandle(0, "(a Filix process; its id cannot be read here)", DatabaseFile.OwnerFile(path)));
        }

        return found;
    }

    private static string CommandLine(string process)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' ').Trim();
            return text.Length == 0 ? "?" : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static bool OwnerLockHeld(string ownerFile)
    {
        if (!Libc.Supported || !File.Exists(ownerFile))
        {
            return false;
        }

        var fd = Libc.Open(ownerFile, Libc.OpenFlags, Convert.ToInt32("666", 8));
        if (fd < 0)
        {
            return false;
        }

        try
        {
            if (Libc.Flock(fd, Libc.LockExclusive | Libc.LockNonBlocking) == 0)
            {
                _ = Libc.Flock(fd, Libc.Unlock);
                return false;
            }

            return Marshal.GetLastPInvokeError() != 0;
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }
}

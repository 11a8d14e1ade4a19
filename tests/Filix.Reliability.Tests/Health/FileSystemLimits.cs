using System.Diagnostics;

namespace Filix.Reliability.Tests.Health;

/// <summary>
/// Read-only files and folders and full disks for tests that run as root, which ignores file permissions: the
/// immutable attribute (<c>chattr +i</c>) makes a file or folder unwritable even for root, and a small tmpfs mount
/// fills up for real. Each returns why it cannot be done here (non-root, no chattr, no mount), for the test to print.
/// </summary>
internal static class FileSystemLimits
{
    /// <summary>Sets or clears the immutable attribute; the reason it could not, or null.</summary>
    public static string? Immutable(string path, bool on) => Run("chattr", on ? "+i" : "-i", path);

    /// <summary>Mounts a tmpfs of <paramref name="kilobytes"/> at <paramref name="folder"/>; the reason it could not, or null.</summary>
    public static string? MountTmpfs(string folder, int kilobytes) =>
        Environment.UserName != "root" ? "not root: cannot mount a tmpfs" : Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", folder);

    public static void Unmount(string folder) => Run("umount", "-l", folder);

    /// <summary>Fills the file system of <paramref name="folder"/> to within about <paramref name="leaveBytes"/> of full.</summary>
    public static string Fill(string folder, long leaveBytes)
    {
        var filler = Path.Combine(folder, "filler.bin");
        var free = new DriveInfo(folder).AvailableFreeSpace;
        using var file = new FileStream(filler, FileMode.Create, FileAccess.Write);
        var chunk = new byte[4096];
        for (long written = 0; written < free - leaveBytes; written += chunk.Length)
        {
            file.Write(chunk);
        }

        return filler;
    }

    private static string? Run(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{program} is not available: {ex.Message}";
        }
    }
}

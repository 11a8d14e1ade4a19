using System.Diagnostics;

namespace Filix.Reliability.Tests.Backups;

/// <summary>A small tmpfs mounted over a folder, for a real "no space left on device" (root only; where mounting is
/// not allowed, <see cref="TryMount"/> says why and the tests use RLIMIT_FSIZE in a child process instead).</summary>
internal sealed class FullDisk : IDisposable
{
    private FullDisk(string folder) => Folder = folder;

    public string Folder { get; }

    public static FullDisk? TryMount(string folder, long bytes, out string why)
    {
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsLinux())
        {
            why = "tmpfs mounts are a Linux test here";
            return null;
        }

        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", folder);
        if (code != 0)
        {
            why = $"mount -t tmpfs failed ({output.Trim()}): not root, or no CAP_SYS_ADMIN in this container";
            return null;
        }

        why = "";
        return new FullDisk(folder);
    }

    public void Dispose() => Run("umount", "-l", Folder);

    public static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}

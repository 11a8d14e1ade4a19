using System.Diagnostics;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.FileSystems;

/// <summary>Real mounts for the tests, where the machine allows them (root, or CAP_SYS_ADMIN in a container).
/// Each attempt returns why it could not mount instead of throwing, so a test prints the reason.</summary>
internal static class Mounting
{
    /// <summary>Runs <paramref name="file"/>; null when it exited 0, else what it said.</summary>
    public static string? Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"`{file} {string.Join(' ', arguments)}` exited {process.ExitCode}: {error.Trim()} {output.Result.Trim()}".Trim();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"`{file}` cannot be run here: {ex.Message}";
        }
    }

    /// <summary>Unmounts <paramref name="target"/> (lazily, so a file a failed test left open cannot keep it).</summary>
    public static void Unmount(string target) => Run("umount", "-l", target);

    public static void Report(ITestOutputHelper output, string message)
    {
        output.WriteLine(message);
        Console.WriteLine(message);
    }
}

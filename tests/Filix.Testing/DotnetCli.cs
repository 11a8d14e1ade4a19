using System.Diagnostics;

namespace Filix.Testing;

/// <summary>
/// Runs the <c>dotnet</c> command (a build of a project outside the solution, or a program it built) as a child
/// process and captures what it printed: the one runner the build, outside-project and real-world tests share.
/// </summary>
public static class DotnetCli
{
    public readonly record struct Result(int ExitCode, string Output)
    {
        public bool Succeeded => ExitCode == 0;
    }

    /// <summary>The configuration the running tests were built in, so a child build reuses what they built.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>Builds the project in <paramref name="directory"/> with the generator, runtime and tool this test
    /// run already built (no second copy compiled, no node left running).</summary>
    public static Task<Result> BuildAsync(string directory, TimeSpan timeout) =>
        RunAsync(directory, timeout, "build", "-c", Configuration, "-nologo", "-nodeReuse:false", "--no-restore", "-p:BuildProjectReferences=false", "-clp:NoSummary");

    public static async Task<Result> RunAsync(string directory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["LC_ALL"] = "C"; // messages in English whatever the machine's locale
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start 'dotnet {args[0]}'.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet {string.Join(' ', args)}' in {directory} did not finish within {timeout.TotalSeconds:0} s.");
        }

        return new Result(process.ExitCode, await stdout + await stderr);
    }
}

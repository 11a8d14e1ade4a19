using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Filix.Sync.Bench;

/// <summary>Starts this benchmark again as a child process (same build, same runtime).</summary>
internal static class Self
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(typeof(Self).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Runs this benchmark under a launcher (<c>dotnet-trace collect ... --</c>).</summary>
    public static async Task RunViaAsync(string launcher, IEnumerable<string> launcherArguments, IEnumerable<string> arguments)
    {
        var inner = StartInfo(arguments);
        var info = new ProcessStartInfo(launcher) { RedirectStandardOutput = true };
        foreach (var argument in launcherArguments.Append(inner.FileName).Concat(inner.ArgumentList))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{launcher} {string.Join(' ', info.ArgumentList)}' exited with {process.ExitCode}: {output}");
        }
    }

    /// <summary>Runs the child to its end; its stderr goes to ours, its stdout is returned. A failure throws.</summary>
    public static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var info = StartInfo(arguments);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"child '{string.Join(' ', info.ArgumentList)}' exited with {process.ExitCode}: {output}");
    }
}

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}

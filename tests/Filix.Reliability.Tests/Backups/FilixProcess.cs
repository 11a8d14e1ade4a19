using System.Diagnostics;
using Filix.Testing;

namespace Filix.Reliability.Tests.Backups;

/// <summary>Runs the built <c>filix</c> (src/Filix.Cli, built with this test project) as a child process, optionally
/// under <c>bash -c 'ulimit -f N; exec …'</c> so its writes hit RLIMIT_FSIZE.</summary>
internal static class FilixProcess
{
    public static string Dll { get; } = Locate();

    public static Task<DotnetCli.Result> RunAsync(params string[] args) => RunAsync(null, args);

    /// <param name="fileSizeLimitKb">RLIMIT_FSIZE for the child in KiB (bash's <c>ulimit -f</c> unit); SIGXFSZ is
    /// ignored (an ignored signal stays ignored across exec), so a write past it fails with EFBIG instead of
    /// killing the process.</param>
    public static async Task<DotnetCli.Result> RunAsync(long? fileSizeLimitKb, params string[] args)
    {
        var start = fileSizeLimitKb is { } limit
            ? new ProcessStartInfo("bash") { ArgumentList = { "-c", $"trap '' XFSZ; ulimit -f {limit}; exec dotnet \"$@\"", "bash", Dll } }
            : new ProcessStartInfo("dotnet") { ArgumentList = { Dll } };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["LC_ALL"] = "C";
        if (fileSizeLimitKb is not null)
        {
            // The runtime's W^X double mapping sizes a memfd with ftruncate, which RLIMIT_FSIZE refuses: without this
            // the child cannot even start ("Failed to create CoreCLR ... Out Of Memory").
            start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cancel.Token);
        return new DotnetCli.Result(process.ExitCode, await stdout + await stderr);
    }

    private static string Locate()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Filix.Schema.sln")))
        {
            folder = folder.Parent;
        }

        var dll = folder is null ? null : Path.Combine(folder.FullName, "src", "Filix.Cli", "bin", DotnetCli.Configuration, "net10.0", "filix.dll");
        return dll is not null && File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"The built filix was not found ({dll ?? "no Filix.Schema.sln above " + AppContext.BaseDirectory}); build tests/Filix.Reliability.Tests, which builds src/Filix.Cli.");
    }
}

using Filix.Cli;
using Filix.Cli.Domains;
using Filix.Runtime;
using Filix.Testing;

namespace Filix.Reliability.Tests.Doctor;

/// <summary>A data folder with the seven domain databases, made and closed through Filix, and <c>filix</c> run on it
/// in-process through its real entry point.</summary>
internal sealed class DoctorFolder : IDisposable
{
    private readonly TempDirectory _folder = TempDirectory.Create("doctor");

    public string Path => _folder.Path;

    public static async Task<DoctorFolder> CreateAsync()
    {
        var folder = new DoctorFolder();
        foreach (var domain in DomainRegistry.All)
        {
            await using var database = await domain.OpenAsync(folder.Path, FilixOptions.Default with { ShareWriter = false }, CancellationToken.None);
        }

        return folder;
    }

    /// <summary>A folder filled by <c>filix run</c> at a small scale (every table has rows), then backed up.</summary>
    public static async Task<DoctorFolder> FilledAndBackedUpAsync()
    {
        var folder = new DoctorFolder();
        foreach (var command in new[] { new[] { "run", "--scale", "0.02" }, ["backup"] })
        {
            var (exit, output, error) = await folder.RunAsync(command);
            Assert.True(exit == 0, $"filix {string.Join(' ', command)}: {output}{error}");
        }

        return folder;
    }

    public string DatabaseOf(string domain) => System.IO.Path.Combine(Path, domain + ".db");

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await FilixCli.RunAsync([.. args, "--data", Path], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command line exactly as filix printed it (<c>filix restore --latest --domain d --data DIR</c>).</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunPrintedAsync(string commandLine)
    {
        Assert.StartsWith("filix ", commandLine);
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await FilixCli.RunAsync(commandLine["filix ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries), output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose() => _folder.Dispose();
}

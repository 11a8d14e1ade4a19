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

    public string DatabaseOf(string domain) => System.IO.Path.Combine(Path, domain + ".db");

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await FilixCli.RunAsync([.. args, "--data", Path], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose() => _folder.Dispose();
}

namespace Filix.Cli.Tests;

/// <summary>Runs the real entry point in-process and captures what it prints.</summary>
internal static class Cli
{
    /// <summary>Small enough to keep the suite fast, large enough that every table gets rows.</summary>
    public const string TestScale = "0.02";

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await FilixCli.RunAsync(args, output, error);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

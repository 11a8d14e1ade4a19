using System.CommandLine;
using System.Globalization;

namespace Filix.Cli.Commands;

/// <summary>The options every command takes. They are recursive: <c>filix --data x run</c> and <c>filix run --data x</c> both work.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Data { get; } = new("--data")
    {
        Description = "The folder holding the domain databases (<domain>.db)",
        HelpName = "DIR",
        DefaultValueFactory = _ => "./data",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the report as JSON (progress still goes to stderr)",
        Recursive = true,
    };

    /// <summary>Hidden: generate this fraction of the seed's sizes (tests use 0.02).</summary>
    public Option<double> Scale { get; } = new("--scale")
    {
        Description = "Fraction of the seed's sizes to generate",
        HelpName = "FRACTION",
        DefaultValueFactory = _ => 1.0,
        Recursive = true,
        Hidden = true,
    };

    public void AddTo(Command command)
    {
        command.Add(Data);
        command.Add(Json);
        command.Add(Scale);
    }

    public CliContext Context(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var scale = parseResult.GetValue(Scale);
        if (!(scale > 0 && scale <= 10))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--scale must be above 0 and at most 10 (got {scale})."));
        }

        return new CliContext(
            parseResult,
            parseResult.GetValue(Data) ?? "./data",
            parseResult.GetValue(Json),
            scale,
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken);
    }
}

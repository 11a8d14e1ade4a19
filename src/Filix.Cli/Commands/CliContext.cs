namespace Filix.Cli.Commands;

/// <summary>What every command's action gets: the parsed options shared by all commands, where to write, and
/// the cancellation token (Ctrl+C).</summary>
internal sealed record CliContext(
    System.CommandLine.ParseResult ParseResult,
    string DataFolder,
    bool Json,
    double Scale,
    TextWriter Output,
    TextWriter Error,
    CancellationToken CancellationToken)
{
    /// <summary>Progress for long steps goes to stderr, so stdout stays clean for the report (and --json).</summary>
    public void Progress(string message) => Error.WriteLine(message);

    /// <summary>The data folder as a full path; with <paramref name="create"/> it is created when missing.</summary>
    public string ResolveDataFolder(bool create)
    {
        var full = Path.GetFullPath(DataFolder);
        if (File.Exists(full))
        {
            throw new Runtime.FilixException($"--data '{full}' is a file, not a folder. Give the folder that holds (or should hold) the domain databases, such as ./data.", full);
        }

        if (!Directory.Exists(full))
        {
            if (!create)
            {
                throw new Runtime.FilixException($"There is no data folder at '{full}'. Run 'filix run --data {DataFolder}' to create and fill it, or point --data at an existing folder.", full);
            }

            Directory.CreateDirectory(full);
        }

        return full;
    }
}

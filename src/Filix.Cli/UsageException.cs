namespace Filix.Cli;

/// <summary>The command line asked for something that does not exist (a domain, a dialect): exit code 2, like a
/// parse error, with a message that lists what does.</summary>
internal sealed class UsageException(string message) : Exception(message);

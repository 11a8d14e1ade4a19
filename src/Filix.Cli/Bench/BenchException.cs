namespace Filix.Cli.Bench;

/// <summary>A benchmark that cannot run as asked; the message says why and what to pass instead.</summary>
internal sealed class BenchException(string message, Exception? inner = null) : Exception(message, inner);

namespace Filix.Runtime;

/// <summary>
/// A failure Filix can explain: what failed, where (file, table, setting) and what to do. The message is meant to
/// be shown to the user as it is.
/// </summary>
public sealed class FilixException : Exception
{
    public FilixException(string message, string? path = null, Exception? innerException = null)
        : base(message, innerException) => Path = path;

    /// <summary>The database file concerned, when there is one.</summary>
    public string? Path { get; }
}

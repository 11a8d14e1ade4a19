using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sharing;

/// <summary>What became of one remote write: stored (with the rows it changed) or failed, nothing of it stored.</summary>
internal readonly record struct WriteOutcome(int Changes, RemoteFailure? Failure)
{
    public static WriteOutcome Stored(int changes) => new(changes, null);

    public static WriteOutcome Failed(Exception error) => new(0, RemoteFailure.From(error));
}

/// <summary>
/// A failure as it crosses processes (a <see cref="Protocol.FailedFrame"/> frame, an outcome record): the message and
/// the SQLite codes, so the caller gets the same exception shape a local write gets.
/// </summary>
internal sealed record RemoteFailure(int Code, int ExtendedCode, string Message)
{
    public static RemoteFailure From(Exception error)
    {
        var sqlite = error as SqliteException ?? error.InnerException as SqliteException;
        return new(sqlite?.SqliteErrorCode ?? 0, sqlite?.SqliteExtendedErrorCode ?? 0, error.Message);
    }

    public FilixException ToException(string databasePath) =>
        new(Message, databasePath, Code == 0 ? null : new SqliteException(Message, Code, ExtendedCode));
}

/// <summary>One sending of a write: the connection it went out on (its random client id) and its request number there.</summary>
internal readonly record struct Sending(long Client, long Request);

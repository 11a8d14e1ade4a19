using Filix.Runtime.Sqlite;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Sharing;

/// <summary>A write another process sent to this process's writer; its outcome goes back as a frame, not a task.</summary>
internal sealed class RemoteWrite(HostConnection connection, long request, StatementWrite write) : IWriteOperation
{
    private int _changes;

    // Once read off the socket a remote write always runs: its sender can no longer take it back.
    public bool TryStart() => true;

    public void Run(SqliteSession session) => _changes = write.Execute(session);

    public void Succeed() => connection.Done(request, _changes);

    public bool Fail(Exception error)
    {
        connection.Failed(request, error);
        return true;
    }
}

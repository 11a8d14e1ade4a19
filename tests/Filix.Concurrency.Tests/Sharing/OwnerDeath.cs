using System.Collections.Concurrent;
using Filix.Runtime.Sharing;
using Filix.Runtime.Sharing.Protocol;

namespace Filix.Concurrency.Tests.Sharing;

/// <summary>
/// Acts out, on chosen connections of a live owner, an owner that stops answering and then dies, at moments a test
/// chooses (timing could not): the owner process stays up and its writer keeps committing, as an owner killed after
/// its commit would have.
/// </summary>
internal sealed class OwnerDeath : SharingFaults
{
    private readonly ConcurrentDictionary<long, bool> _muted = new();
    private readonly ConcurrentDictionary<long, (TaskCompletionSource Held, TaskCompletionSource Released)> _holds = new();

    /// <summary>Replies to <paramref name="connection"/> are dropped from now on, as if lost with the owner (and
    /// never count as delivered).</summary>
    public void MuteReplies(HostConnection connection) => _muted[connection.ClientId] = true;

    /// <summary>Frames read from now on are never queued, as if the owner died before reading them. Completes once a
    /// frame is held.</summary>
    public Task HoldFramesAsync(HostConnection connection)
    {
        var hold = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _holds[connection.ClientId] = hold;
        return hold.Item1.Task;
    }

    /// <summary>The owner "dies" for this client: the connection breaks both ways and held frames are dropped.</summary>
    public void Sever(HostConnection connection)
    {
        connection.Break(new IOException("Severed by the test, as if the owner died."));
        if (_holds.TryGetValue(connection.ClientId, out var hold))
        {
            hold.Released.TrySetResult();
        }
    }

    public override bool DropReplies(HostConnection connection) => _muted.ContainsKey(connection.ClientId);

    public override async ValueTask<bool> BeforeHostFrameAsync(HostConnection connection, FrameKind kind)
    {
        if (!_holds.TryGetValue(connection.ClientId, out var hold))
        {
            return true;
        }

        hold.Held.TrySetResult();
        await hold.Released.Task;
        return false;
    }
}

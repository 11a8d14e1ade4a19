using System.Net.Sockets;

namespace Filix.Runtime.Sharing;

/// <summary>
/// Test hooks that act out, on one connection, an owner that stops answering and then dies, at moments a test
/// chooses (timing could not): the writer keeps committing, as an owner killed after its commit would have.
/// </summary>
internal sealed partial class HostConnection
{
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _muted;
    private volatile TaskCompletionSource? _hold;

    /// <summary>Replies are dropped from now on, as if lost with the owner (and never count as delivered).</summary>
    internal void MuteReplies() => _muted = true;

    /// <summary>Frames read from now on are never queued, as if the owner died before reading them. Completes once
    /// a frame is held.</summary>
    internal Task HoldFramesAsync()
    {
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _holding.Task;
    }

    /// <summary>The owner "dies" for this client: the socket closes both ways and held frames are dropped.</summary>
    internal void Sever()
    {
        _socket.Shutdown(SocketShutdown.Both);
        _hold?.TrySetResult();
    }
}

using Filix.Runtime.Sharing.Protocol;

namespace Filix.Runtime.Sharing;

/// <summary>
/// Faults a test injects into the shared writer's loops. Null in production: every call site is a null-conditional
/// call, so this costs a field read. Each hook acts out something that happens in real life but that timing cannot
/// produce on demand: an owner that dies between two frames, replies lost with it, a bug that throws inside a loop,
/// a socket closed in the middle of a frame.
/// </summary>
/// <remarks>Set through <see cref="SharedWriter.Faults"/>; it reaches the owner's connections and the client's
/// connection of that opener, including those made later.</remarks>
internal class SharingFaults
{
    /// <summary>Owner side, before a client's frame is handled. False: the frame is never read, as if the owner died
    /// first, and the connection stops reading. Throwing stands for a bug in the receive loop.</summary>
    public virtual ValueTask<bool> BeforeHostFrameAsync(HostConnection connection, FrameKind kind) => new(true);

    /// <summary>Owner side: true while replies to <paramref name="connection"/> are lost (never sent, so never counted
    /// as delivered), as if the owner died before sending them.</summary>
    public virtual bool DropReplies(HostConnection connection) => false;

    /// <summary>Owner side, before a buffer of replies is sent; throwing stands for a bug in the reply loop.</summary>
    public virtual void BeforeHostSend(HostConnection connection)
    {
    }

    /// <summary>Owner side, before each accept; throwing stands for a bug (or a resource limit) in the accept loop.</summary>
    public virtual void BeforeAccept()
    {
    }

    /// <summary>Client side, before a frame from the owner is handled; throwing stands for a bug in the receive loop.</summary>
    public virtual void BeforeClientFrame(FrameKind kind)
    {
    }

    /// <summary>Client side, before a buffer of <paramref name="length"/> bytes of frames is sent: returning less sends
    /// only that many bytes and cuts the connection (a socket closed mid-frame). Throwing stands for a bug.</summary>
    public virtual int BeforeClientSend(int length) => length;

    /// <summary>How long a closing client waits for its owner to answer and hang up before it breaks the connection
    /// (tests shorten it to act out a frozen owner without waiting the real bound).</summary>
    public virtual TimeSpan ClientCloseTimeout(TimeSpan normal) => normal;

    /// <summary>Before a write in doubt is queued on a new connection; throwing stands for a bug in the resend.</summary>
    public virtual void BeforeResend()
    {
    }
}

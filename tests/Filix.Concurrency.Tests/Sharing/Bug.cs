using Filix.Runtime.Sharing;
using Filix.Runtime.Sharing.Protocol;

namespace Filix.Concurrency.Tests.Sharing;

/// <summary>An unforeseen exception thrown at one point of the shared writer's loops, a given number of times: what a
/// bug there would do. <see cref="OwnerDeath"/>'s faults can be combined through <see cref="Also"/>.</summary>
internal sealed class Bug(BugPoint point, int times = 1) : SharingFaults
{
    private readonly int _times = times;
    private int _left = times;

    /// <summary>Other faults active at the same time (the owner "dying" for a connection).</summary>
    public SharingFaults? Also { get; init; }

    /// <summary>How many times it was thrown.</summary>
    public int Thrown => _times - Math.Max(Volatile.Read(ref _left), 0);

    public override async ValueTask<bool> BeforeHostFrameAsync(HostConnection connection, FrameKind kind)
    {
        if (kind is FrameKind.Write or FrameKind.Retry)
        {
            Fire(BugPoint.HostFrame);
        }

        return Also is null || await Also.BeforeHostFrameAsync(connection, kind);
    }

    public override bool DropReplies(HostConnection connection) => Also?.DropReplies(connection) ?? false;

    public override void BeforeHostSend(HostConnection connection) => Fire(BugPoint.HostSend);

    public override void BeforeAccept() => Fire(BugPoint.Accept);

    public override void BeforeClientFrame(FrameKind kind)
    {
        if (kind is FrameKind.Done or FrameKind.Failed)
        {
            Fire(BugPoint.ClientFrame);
        }
    }

    public override int BeforeClientSend(int length)
    {
        Fire(BugPoint.ClientSend);
        return length;
    }

    public override void BeforeResend() => Fire(BugPoint.Resend);

    private void Fire(BugPoint at)
    {
        if (at == point && Interlocked.Decrement(ref _left) >= 0)
        {
            throw new InvalidOperationException($"An injected bug at {at}.");
        }
    }
}

/// <summary>Where a <see cref="Bug"/> throws.</summary>
public enum BugPoint
{
    HostFrame,
    HostSend,
    Accept,
    ClientFrame,
    ClientSend,
    Resend,
}

namespace Filix.Runtime.Sharing.Protocol;

/// <summary>Client → owner, the first frame: <c>[int32 version][int64 client]</c>, the connection's random id under
/// which the owner records the outcomes of its writes (<see cref="OutcomeLedger"/>).</summary>
internal readonly record struct HelloFrame(int Version, long Client)
{
    public void Write(FrameWriter frames) => frames.Begin(FrameKind.Hello).Int32(Version).Int64(Client).End();

    /// <remarks>Another version's hello is returned with only its version read: the rest is not ours to parse.</remarks>
    public static HelloFrame Read(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        var version = reader.Int32();
        if (version != WireProtocol.Version)
        {
            return new(version, 0);
        }

        var hello = new HelloFrame(version, reader.Int64());
        reader.End();
        return hello;
    }
}

/// <summary>Owner → client: the hello was accepted: <c>[int32 version]</c>.</summary>
internal readonly record struct WelcomeFrame(int Version)
{
    public void Write(FrameWriter frames) => frames.Begin(FrameKind.Welcome).Int32(Version).End();

    public static WelcomeFrame Read(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        var welcome = new WelcomeFrame(reader.Int32());
        reader.End();
        return welcome;
    }
}

/// <summary>Owner → client: the owner is closing; the client sends what it has queued, then <see cref="ClosedFrame"/>.
/// No payload.</summary>
internal readonly record struct ClosingFrame
{
    public void Write(FrameWriter frames) => frames.Begin(FrameKind.Closing).End();

    public static ClosingFrame Read(ReadOnlySpan<byte> payload)
    {
        new FrameReader(payload).End();
        return default;
    }
}

/// <summary>Client → owner: nothing follows; every write this client sent is ahead of this frame. No payload.</summary>
internal readonly record struct ClosedFrame
{
    public void Write(FrameWriter frames) => frames.Begin(FrameKind.Closed).End();

    public static ClosedFrame Read(ReadOnlySpan<byte> payload)
    {
        new FrameReader(payload).End();
        return default;
    }
}

namespace Filix.Runtime.Sharing.Protocol;

/// <summary>Owner → client: the write's batch committed: <c>[int64 request][int32 rows changed]</c>.</summary>
internal readonly record struct DoneFrame(long Request, int Changes)
{
    public void Write(FrameWriter frames) => frames.Begin(FrameKind.Done).Int64(Request).Int32(Changes).End();

    public static DoneFrame Read(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        var done = new DoneFrame(reader.Int64(), reader.Int32());
        reader.End();
        return done;
    }
}

/// <summary>Owner → client: nothing of the write was stored: <c>[int64 request][int32 sqlite code][int32 extended
/// code][string message]</c>. The SQLite codes travel so the client rebuilds the exception shape a local write gets.</summary>
internal readonly record struct FailedFrame(long Request, RemoteFailure Failure)
{
    public void Write(FrameWriter frames) =>
        frames.Begin(FrameKind.Failed).Int64(Request).Int32(Failure.Code).Int32(Failure.ExtendedCode).String(Failure.Message).End();

    public static FailedFrame Read(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        var failed = new FailedFrame(reader.Int64(), new RemoteFailure(reader.Int32(), reader.Int32(), reader.String()));
        reader.End();
        return failed;
    }

    /// <summary>The reply for <paramref name="outcome"/>: <see cref="DoneFrame"/> or <see cref="FailedFrame"/>.</summary>
    public static void WriteReply(FrameWriter frames, long request, WriteOutcome outcome)
    {
        if (outcome.Failure is { } failure)
        {
            new FailedFrame(request, failure).Write(frames);
        }
        else
        {
            new DoneFrame(request, outcome.Changes).Write(frames);
        }
    }
}

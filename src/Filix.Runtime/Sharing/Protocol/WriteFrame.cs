namespace Filix.Runtime.Sharing.Protocol;

/// <summary>Client → owner, one write: <c>[int64 request][int32 statement id][int32 value count][value ...]</c>,
/// each value a <see cref="ValueTag"/> and its stored form. Requests are numbered 1, 2, ... per connection.</summary>
internal sealed record WriteFrame(long Request, int Statement, object?[] Values)
{
    /// <summary>Bytes of a write frame besides its values: length, kind, request, statement, value count.</summary>
    private const int Fixed = 4 + 1 + 8 + 4 + 4;

    public void Write(FrameWriter frames) => Write(frames, Request, Statement, Values);

    public static void Write(FrameWriter frames, long request, int statement, object?[] values)
    {
        frames.Begin(FrameKind.Write).Int64(request).Int32(statement);
        WriteValues(frames, values);
        frames.End();
    }

    public static WriteFrame Read(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        var request = reader.Int64();
        var statement = reader.Int32();
        var values = ReadValues(ref reader);
        reader.End();
        return new(request, statement, values);
    }

    /// <summary>True when a write of <paramref name="values"/> (as a write or a retry naming a few earlier sendings)
    /// stays within <see cref="WireProtocol.MaxFrame"/>; an exact count only for writes near it.</summary>
    public static bool Fits(object?[] values)
    {
        // Retries add 4 + 16 bytes per earlier sending; a write is retried a handful of times at most.
        const long Margin = Fixed + 4 + (16 * 1024);
        long bound = Margin;
        foreach (var value in values)
        {
            bound += FrameWriter.ValueBound(value);
        }

        if (bound <= WireProtocol.MaxFrame)
        {
            return true;
        }

        long exact = Margin;
        foreach (var value in values)
        {
            exact += FrameWriter.ValueSize(value);
        }

        return exact <= WireProtocol.MaxFrame;
    }

    internal static void WriteValues(FrameWriter frames, object?[] values)
    {
        frames.Int32(values.Length);
        foreach (var value in values)
        {
            frames.Value(value);
        }
    }

    internal static object?[] ReadValues(ref FrameReader reader)
    {
        // Every value takes at least its one-byte tag.
        var values = new object?[reader.Count(1, "values")];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.Value();
        }

        return values;
    }
}

/// <summary>
/// Client → owner: a write sent before on connections that broke unanswered, to be stored only if none of those
/// sendings was: <c>[int64 request][int32 n][(int64 client, int64 request) × n][int32 statement id][int32 value
/// count][value ...]</c>. Answered as a <see cref="WriteFrame"/>.
/// </summary>
internal sealed record RetryFrame(long Request, Sending[] Earlier, int Statement, object?[] Values)
{
    public void Write(FrameWriter frames) => Write(frames, Request, Earlier, Statement, Values);

    public static void Write(FrameWriter frames, long request, IReadOnlyList<Sending> earlier, int statement, object?[] values)
    {
        frames.Begin(FrameKind.Retry).Int64(request).Int32(earlier.Count);
        foreach (var sending in earlier)
        {
            frames.Int64(sending.Client).Int64(sending.Request);
        }

        frames.Int32(statement);
        WriteFrame.WriteValues(frames, values);
        frames.End();
    }

    public static RetryFrame Read(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        var request = reader.Int64();
        var earlier = new Sending[reader.Count(16, "earlier sendings")];
        if (earlier.Length == 0)
        {
            throw new InvalidDataException("A retry names no earlier sending.");
        }

        for (var i = 0; i < earlier.Length; i++)
        {
            earlier[i] = new Sending(reader.Int64(), reader.Int64());
        }

        var statement = reader.Int32();
        var values = WriteFrame.ReadValues(ref reader);
        reader.End();
        return new(request, earlier, statement, values);
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Filix.Runtime.Sharing;

/// <summary>
/// The frames processes exchange over a database's writer socket. Every frame is
/// <c>[int32 length of the rest][byte kind][payload]</c>, little-endian; strings are <c>[int32 byte count][UTF-8]</c>.
/// </summary>
/// <remarks>
/// A statement's SQL crosses the socket once per connection (<see cref="FrameKind.Statement"/>), after which writes
/// name it by number: generated statements are 200+ characters and a write's values are often fewer bytes.
/// </remarks>
internal enum FrameKind : byte
{
    /// <summary>Client → owner, first frame: <c>[int32 protocol][int64 client]</c>, the connection's random id under
    /// which the owner records the outcomes of its writes (<see cref="OutcomeLedger"/>).</summary>
    Hello = 1,

    /// <summary>Owner → client: the hello was accepted: <c>[int32 protocol]</c>.</summary>
    Welcome = 2,

    /// <summary>Client → owner: <c>[int32 statement id][string sql][int32 parameter count]</c>.</summary>
    Statement = 3,

    /// <summary>Client → owner: <c>[int64 request][int32 statement id][int32 value count][value ...]</c>.</summary>
    Write = 4,

    /// <summary>Owner → client: the write's batch committed: <c>[int64 request][int32 rows changed]</c>.</summary>
    Done = 5,

    /// <summary>Owner → client: nothing of the write was stored: <c>[int64 request][int32 sqlite code][int32 extended code][string message]</c>.</summary>
    Failed = 6,

    /// <summary>Owner → client: the owner is closing; send nothing more and answer <see cref="Closed"/>.</summary>
    Closing = 7,

    /// <summary>Client → owner: nothing follows; every write this client sent is ahead of this frame.</summary>
    Closed = 8,

    /// <summary>Client → owner: a write sent before on connections that broke unanswered, to be stored only if none
    /// of those sendings was: <c>[int64 request][int32 n][(int64 client, int64 request) × n][int32 statement id]
    /// [int32 value count][value ...]</c>. Answered as a <see cref="Write"/>.</summary>
    Retry = 9,
}

/// <summary>The tag before each value of a <see cref="FrameKind.Write"/>: the five stored forms.</summary>
internal enum ValueTag : byte
{
    Null = 0,
    Integer = 1,
    Real = 2,
    Text = 3,
    Blob = 4,
}

/// <summary>Appends frames to a buffer (one buffer is sent with one system call for many frames).</summary>
internal sealed class FrameWriter(ArrayBufferWriter<byte> buffer)
{
    private int _frameStart = -1;

    public ArrayBufferWriter<byte> Buffer => buffer;

    public FrameWriter Begin(FrameKind kind)
    {
        _frameStart = buffer.WrittenCount;
        Int32(0); // the length, patched by End
        buffer.GetSpan(1)[0] = (byte)kind;
        buffer.Advance(1);
        return this;
    }

    public void End()
    {
        // WrittenSpan is read-only; the written bytes are ours to patch through the underlying memory.
        var length = buffer.WrittenCount - _frameStart - 4;
        var span = System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory).Span;
        BinaryPrimitives.WriteInt32LittleEndian(span[_frameStart..], length);
        _frameStart = -1;
    }

    public FrameWriter Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
        return this;
    }

    public FrameWriter Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
        return this;
    }

    public FrameWriter String(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        Int32(count);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(count));
        buffer.Advance(count);
        return this;
    }

    /// <summary>One value in its stored form; anything else is refused before it is queued.</summary>
    public FrameWriter Value(object? value)
    {
        switch (value)
        {
            case null or DBNull:
                Tag(ValueTag.Null);
                break;
            case long integer:
                Tag(ValueTag.Integer).Int64(integer);
                break;
            case double real:
                Tag(ValueTag.Real).Int64(BitConverter.DoubleToInt64Bits(real));
                break;
            case string text:
                Tag(ValueTag.Text).String(text);
                break;
            case byte[] blob:
                Tag(ValueTag.Blob).Int32(blob.Length);
                blob.CopyTo(buffer.GetSpan(blob.Length));
                buffer.Advance(blob.Length);
                break;
            default:
                throw new ArgumentException(
                    $"A value of type {value.GetType()} cannot be sent to the writer of another process: write values in their stored forms (null, long, double, string, byte[]; see SqliteValues).");
        }

        return this;
    }

    private FrameWriter Tag(ValueTag tag)
    {
        buffer.GetSpan(1)[0] = (byte)tag;
        buffer.Advance(1);
        return this;
    }
}

/// <summary>Reads the payload of one frame. A malformed frame throws <see cref="InvalidDataException"/>.</summary>
internal ref struct FrameReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public string String() => Encoding.UTF8.GetString(Take(Count()));

    public object? Value() => (ValueTag)Take(1)[0] switch
    {
        ValueTag.Null => null,
        ValueTag.Integer => Int64(),
        ValueTag.Real => BitConverter.Int64BitsToDouble(Int64()),
        ValueTag.Text => String(),
        ValueTag.Blob => Take(Count()).ToArray(),
        var tag => throw new InvalidDataException($"Unknown value tag {(byte)tag} in a write frame."),
    };

    private int Count()
    {
        var count = Int32();
        return count >= 0 ? count : throw new InvalidDataException($"Negative length {count} in a frame.");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _payload.Length - _position)
        {
            throw new InvalidDataException($"A frame ended early: {count} more bytes expected at offset {_position} of {_payload.Length}.");
        }

        var span = _payload.Slice(_position, count);
        _position += count;
        return span;
    }
}

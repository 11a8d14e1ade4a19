using System.Buffers.Binary;
using System.Text;

namespace Filix.Runtime.Sharing.Protocol;

/// <summary>Reads the payload of one frame. Anything malformed throws <see cref="InvalidDataException"/>, and a
/// count is checked against the bytes left before anything is allocated for it.</summary>
internal ref struct FrameReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _payload.Length - _position;

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public string String() => Encoding.UTF8.GetString(Take(Length()));

    public object? Value() => (ValueTag)Take(1)[0] switch
    {
        ValueTag.Null => null,
        ValueTag.Integer => Int64(),
        ValueTag.Real => BitConverter.Int64BitsToDouble(Int64()),
        ValueTag.Text => String(),
        ValueTag.Blob => Take(Length()).ToArray(),
        var tag => throw new InvalidDataException($"Unknown value tag {(byte)tag} in a write frame."),
    };

    /// <summary>A count of items that take at least <paramref name="minBytes"/> each: one beyond the bytes left is a
    /// broken frame, not an allocation to attempt.</summary>
    public int Count(int minBytes, string what)
    {
        var count = Int32();
        if (count < 0 || (long)count * minBytes > Remaining)
        {
            throw new InvalidDataException($"A frame claims {count} {what} with {Remaining} bytes left.");
        }

        return count;
    }

    /// <summary>The frame must end here: trailing bytes mean the two sides disagree about its layout.</summary>
    public readonly void End()
    {
        if (_position != _payload.Length)
        {
            throw new InvalidDataException($"A frame has {_payload.Length - _position} bytes after its last field.");
        }
    }

    private int Length() => Count(1, "bytes");

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

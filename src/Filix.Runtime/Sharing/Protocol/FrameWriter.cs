using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Filix.Runtime.Sharing.Protocol;

/// <summary>Appends frames to a buffer, one frame type's <c>Write</c> at a time; the buffer is then sent with one
/// system call for many frames.</summary>
internal sealed class FrameWriter(ArrayBufferWriter<byte> buffer)
{
    private int _frameStart = -1;

    public FrameWriter(int capacity)
        : this(new ArrayBufferWriter<byte>(capacity))
    {
    }

    public ArrayBufferWriter<byte> Buffer => buffer;

    /// <summary>The frames written since the last <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> Written => buffer.WrittenMemory;

    public void Reset() => buffer.ResetWrittenCount();

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
        var span = MemoryMarshal.AsMemory(buffer.WrittenMemory).Span;
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

    /// <summary>One value in its stored form; anything else is refused before it is queued
    /// (<see cref="Writing.StatementWrite.Validate"/>).</summary>
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

    /// <summary>An upper bound of the bytes <see cref="Value"/> writes, without reading a string's characters.</summary>
    public static long ValueBound(object? value) => value switch
    {
        string text => 5L + ((long)text.Length * 3),
        byte[] blob => 5L + blob.Length,
        _ => 9,
    };

    /// <summary>The exact bytes <see cref="Value"/> writes.</summary>
    public static long ValueSize(object? value) => value switch
    {
        string text => 5L + Encoding.UTF8.GetByteCount(text),
        _ => ValueBound(value),
    };

    private FrameWriter Tag(ValueTag tag)
    {
        buffer.GetSpan(1)[0] = (byte)tag;
        buffer.Advance(1);
        return this;
    }
}

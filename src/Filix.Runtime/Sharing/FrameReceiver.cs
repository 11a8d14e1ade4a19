using System.Buffers.Binary;
using System.Net.Sockets;

namespace Filix.Runtime.Sharing;

/// <summary>
/// Splits the bytes of a socket into frames (<see cref="FrameKind"/>). One receive usually brings many frames: the
/// loop is <c>while (TryNext(...)) handle; await FillAsync()</c>.
/// </summary>
internal sealed class FrameReceiver(Socket socket)
{
    /// <summary>Larger than any honest frame (a write of many rows stays far below); guards against a garbled stream.</summary>
    private const int MaxFrame = 256 << 20;

    private byte[] _buffer = new byte[64 << 10];
    private int _start;
    private int _end;

    /// <summary>Reads more bytes; false when the other side closed the connection.</summary>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            // Keep the unread tail at the front so the buffer only grows for frames larger than itself.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>The next whole frame already received, if any. The payload is valid until the next <see cref="FillAsync"/>.</summary>
    public bool TryNext(out FrameKind kind, out ReadOnlyMemory<byte> payload)
    {
        kind = default;
        payload = default;
        if (_end - _start < 5)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
        if (length is < 1 or > MaxFrame)
        {
            throw new InvalidDataException($"A frame of {length} bytes on a Filix writer socket: the stream is not Filix's protocol or is corrupt.");
        }

        if (_end - _start - 4 < length)
        {
            if (length + 4 > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, length + 4));
            }

            return false;
        }

        kind = (FrameKind)_buffer[_start + 4];
        payload = _buffer.AsMemory(_start + 5, length - 1);
        _start += 4 + length;
        return true;
    }
}

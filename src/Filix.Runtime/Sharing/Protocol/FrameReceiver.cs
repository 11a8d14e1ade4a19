using System.Buffers.Binary;
using System.Net.Sockets;

namespace Filix.Runtime.Sharing.Protocol;

/// <summary>
/// Splits the bytes of a socket into frames (<see cref="FrameKind"/>). One receive usually brings many frames: the
/// loop is <c>while (TryNext(...)) handle; await FillAsync()</c>.
/// </summary>
/// <remarks>The buffer grows only as bytes arrive (doubling when full, up to one whole frame of
/// <see cref="WireProtocol.MaxFrame"/>), never to a length a peer merely claims: a hostile prefix of 64 MiB followed
/// by silence costs the 64 KiB the buffer started with.</remarks>
internal sealed class FrameReceiver(Socket socket)
{
    private const int InitialSize = 64 << 10;
    private byte[] _buffer = new byte[InitialSize];
    private int _start;
    private int _end;

    /// <summary>Bytes the buffer holds room for (tests: that no claimed length was allocated ahead).</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Bytes received and not yet handed out as frames: a hang-up with some left cut a frame short.</summary>
    public int Unread => _end - _start;

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
            // Full with one incomplete frame (TryNext took every whole one), which is at most MaxFrame + 4 bytes.
            Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, WireProtocol.MaxFrame + 4L));
        }

        var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>The next whole frame already received, if any. The payload is valid until the next <see cref="FillAsync"/>.</summary>
    /// <exception cref="InvalidDataException">The length prefix is out of range: the stream is not this protocol.</exception>
    public bool TryNext(out FrameKind kind, out ReadOnlyMemory<byte> payload)
    {
        payload = default;
        if (!TryParse(_buffer.AsSpan(_start, _end - _start), out kind, out var length))
        {
            return false;
        }

        payload = _buffer.AsMemory(_start + 5, length - 1);
        _start += 4 + length;
        return true;
    }

    /// <summary>The envelope of the frame at the start of <paramref name="bytes"/>: its kind and its length (after
    /// the prefix, kind included); false while it is incomplete.</summary>
    /// <exception cref="InvalidDataException">The length prefix is out of range: the stream is not this protocol.</exception>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out FrameKind kind, out int length)
    {
        kind = default;
        length = 0;
        if (bytes.Length < 4)
        {
            return false;
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (length is < 1 or > WireProtocol.MaxFrame)
        {
            throw new InvalidDataException($"A frame of {length} bytes on a Filix writer socket: the stream is not Filix's protocol or is corrupt.");
        }

        if (bytes.Length - 4 < length)
        {
            return false;
        }

        kind = (FrameKind)bytes[4];
        return true;
    }

    /// <summary>Reads until a whole frame is at hand; false when the other side hung up first.</summary>
    public async ValueTask<(bool Received, FrameKind Kind, ReadOnlyMemory<byte> Payload)> NextAsync(CancellationToken cancellationToken)
    {
        FrameKind kind;
        ReadOnlyMemory<byte> payload;
        while (!TryNext(out kind, out payload))
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return default;
            }
        }

        return (true, kind, payload);
    }
}

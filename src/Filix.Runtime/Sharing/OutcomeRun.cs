using System.Buffers;
using System.Text;

namespace Filix.Runtime.Sharing;

/// <summary>
/// The outcomes of consecutive requests of one client connection, as one row of the outcome table stores them
/// (<c>first_request</c> .. <c>last_request</c>, and this blob). Per request, in order, a varint header
/// <c>h</c>: even, the write was stored and changed <c>h / 2</c> rows; odd, it failed with SQLite code
/// <c>h / 2</c> (0: not a SQLite error), followed by the extended code, the message's UTF-8 byte count and the
/// message. A batch of a hundred stored writes is a blob of about a hundred bytes.
/// </summary>
internal sealed class OutcomeRun(long client)
{
    private readonly ArrayBufferWriter<byte> _bytes = new(256);

    public long Client => client;

    /// <summary>The delivered request up to which this client's records were last deleted (writer thread).</summary>
    public long PrunedThrough { get; set; }

    public long First { get; private set; }

    public long Last { get; private set; }

    public bool IsEmpty => _bytes.WrittenCount == 0;

    /// <summary>True when <paramref name="request"/> can extend this run (it is the next request number).</summary>
    public bool Continues(long request) => IsEmpty || request == Last + 1;

    public void Add(long request, WriteOutcome outcome)
    {
        if (IsEmpty)
        {
            First = request;
        }

        Last = request;
        if (outcome.Failure is not { } failure)
        {
            Varint((ulong)(uint)outcome.Changes << 1);
            return;
        }

        Varint(((ulong)(uint)failure.Code << 1) | 1);
        Varint((uint)failure.ExtendedCode);
        var count = Encoding.UTF8.GetByteCount(failure.Message);
        Varint((uint)count);
        Encoding.UTF8.GetBytes(failure.Message, _bytes.GetSpan(count));
        _bytes.Advance(count);
    }

    public byte[] ToArray() => _bytes.WrittenSpan.ToArray();

    public void Clear() => _bytes.ResetWrittenCount();

    /// <summary>The outcome of <paramref name="request"/> in a stored run that starts at <paramref name="first"/>.</summary>
    /// <exception cref="InvalidDataException">The blob is shorter than the run it claims to be.</exception>
    public static WriteOutcome Read(ReadOnlySpan<byte> blob, long first, long request)
    {
        var position = 0;
        for (var n = first; ; n++)
        {
            var header = ReadVarint(blob, ref position);
            if ((header & 1) == 0)
            {
                if (n == request)
                {
                    return WriteOutcome.Stored((int)(header >> 1));
                }

                continue;
            }

            var extended = (int)ReadVarint(blob, ref position);
            var count = (int)ReadVarint(blob, ref position);
            if (count > blob.Length - position)
            {
                throw Truncated();
            }

            if (n == request)
            {
                var message = Encoding.UTF8.GetString(blob.Slice(position, count));
                return new WriteOutcome(0, new RemoteFailure((int)(header >> 1), extended, message));
            }

            position += count;
        }
    }

    private void Varint(ulong value)
    {
        var span = _bytes.GetSpan(10);
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        _bytes.Advance(length);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> blob, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= blob.Length)
            {
                throw Truncated();
            }

            var b = blob[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Truncated();
    }

    private static InvalidDataException Truncated() =>
        new("A row of _filix_write_outcomes is shorter than the requests it covers: the table was changed by something other than Filix.");
}

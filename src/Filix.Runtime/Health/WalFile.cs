using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Filix.Runtime.Health;

/// <summary>
/// The checks of a <c>-wal</c> file, after https://www.sqlite.org/fileformat2.html#the_write_ahead_log: a 32-byte
/// header (magic 0x377f0682/3 whose low bit gives the checksums' byte order, format version 3007000, page size,
/// checkpoint sequence, two salts, a checksum of the first 24 bytes), then frames of a 24-byte header (page number,
/// database size after a commit or 0, the two salts, a running checksum) and a page. SQLite's recovery takes frames
/// while their salts match the header's and the running checksum holds, and keeps what the last commit frame among
/// them covers: a damaged header or a damaged frame silently drops every transaction from there on. These checks
/// make that loud.
/// </summary>
internal static class WalFile
{
    public const int HeaderLength = 32;
    public const int FrameHeaderLength = 24;
    private const uint FormatVersion = 3007000;

    /// <summary>The header's checks: no frame is read. Null when the header is sound (or the file too short to hold one).</summary>
    public static HealthProblem? CheckHeader(string wal, ReadOnlySpan<byte> header, long length, int databasePageSize)
    {
        if (length < HeaderLength)
        {
            return null; // a header never completed: nothing was committed in it
        }

        var magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        var frames = (length - HeaderLength) / Math.Max(1, FrameHeaderLength + Math.Max(databasePageSize, 512));
        var what = frames > 0 ? $"SQLite would ignore the whole WAL and the ~{frames} frames of writes in it" : "SQLite would ignore it";
        if (magic is not (0x377f0682 or 0x377f0683))
        {
            return Damaged($"its header does not start with the WAL magic number (found 0x{magic:x8}): {what}");
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (version != FormatVersion)
        {
            return Damaged($"its header gives the format version {version}, not {FormatVersion}: {what}");
        }

        var (s0, s1) = Checksum(header[..24], bigEndian: (magic & 1) == 1, 0, 0);
        if (s0 != BinaryPrimitives.ReadUInt32BigEndian(header[24..]) || s1 != BinaryPrimitives.ReadUInt32BigEndian(header[28..]))
        {
            return Damaged($"its header checksum does not match its contents (the salts or page size were changed or torn): {what}");
        }

        var pageSize = (int)BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        if (databasePageSize > 0 && pageSize != databasePageSize)
        {
            return new HealthProblem(
                HealthProblemKind.WalMismatch, wal,
                $"The WAL '{wal}' was written for pages of {pageSize} bytes, but its database has pages of {databasePageSize}: it belongs to another database.",
                "Move the WAL aside only if you know where it came from; otherwise restore the database from its last verified backup.");
        }

        return null;

        HealthProblem Damaged(string detail) => new(
            HealthProblemKind.WalHeader, wal,
            $"The WAL '{wal}' is damaged: {detail}.",
            "Keep a copy of the WAL (the writes are in it), then restore the database from its last verified backup.");
    }

    /// <summary>
    /// Walks the frames as SQLite's recovery does; when it stops at a damaged frame, looks at the frame headers after it
    /// for a commit of the same WAL generation (same salts): committed writes SQLite would drop. A torn tail (a
    /// transaction interrupted before its commit frame) drops nothing committed and is not a problem.
    /// </summary>
    public static HealthProblem? CheckFrames(string wal, SafeFileHandle file, ReadOnlySpan<byte> header, long length, out bool partial)
    {
        var pageSize = (int)BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        var bigEndian = (BinaryPrimitives.ReadUInt32BigEndian(header) & 1) == 1;
        var salts = header.Slice(16, 8).ToArray();
        var s0 = BinaryPrimitives.ReadUInt32BigEndian(header[24..]);
        var s1 = BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        var frameLength = FrameHeaderLength + pageSize;
        var frames = (length - HeaderLength) / frameLength;
        var buffer = new byte[frameLength];
        long frame = 0;
        for (; frame < frames; frame++)
        {
            var offset = HeaderLength + (frame * frameLength);
            if (RandomAccess.Read(file, buffer, offset) < frameLength)
            {
                break;
            }

            var frameHeader = buffer.AsSpan(0, FrameHeaderLength);
            if (!frameHeader.Slice(8, 8).SequenceEqual(salts))
            {
                break;
            }

            (s0, s1) = Checksum(frameHeader[..8], bigEndian, s0, s1);
            (s0, s1) = Checksum(buffer.AsSpan(FrameHeaderLength), bigEndian, s0, s1);
            if (s0 != BinaryPrimitives.ReadUInt32BigEndian(frameHeader[16..]) || s1 != BinaryPrimitives.ReadUInt32BigEndian(frameHeader[20..]))
            {
                break;
            }
        }

        var broken = frame;
        var lostCommits = 0;
        var headerOnly = new byte[FrameHeaderLength];
        for (var later = broken + 1; later < frames; later++)
        {
            if (RandomAccess.Read(file, headerOnly, HeaderLength + (later * frameLength)) < FrameHeaderLength)
            {
                break;
            }

            if (headerOnly.AsSpan(8, 8).SequenceEqual(salts) && BinaryPrimitives.ReadUInt32BigEndian(headerOnly.AsSpan(4)) != 0)
            {
                lostCommits++;
            }
        }

        partial = (length - HeaderLength) % frameLength != 0;
        return lostCommits == 0
            ? null
            : new HealthProblem(
                HealthProblemKind.WalDamaged, wal,
                $"The WAL '{wal}' is damaged at frame {broken + 1} of {frames}, and {lostCommits} committed transaction(s) of the same WAL follow it: SQLite would silently drop them (and everything after frame {broken + 1}).",
                "Keep a copy of the WAL (the dropped writes are in it), then restore the database from its last verified backup, or accept the loss by opening it with a tool that ignores the damaged frames (sqlite3).");
    }

    /// <summary>SQLite's WAL checksum (walChecksumBytes): pairs of 32-bit words in the WAL's byte order, Fibonacci-weighted.</summary>
    private static (uint S0, uint S1) Checksum(ReadOnlySpan<byte> data, bool bigEndian, uint s0, uint s1)
    {
        for (var i = 0; i + 8 <= data.Length; i += 8)
        {
            var x0 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[i..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            var x1 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[(i + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            s0 += x0 + s1;
            s1 += x1 + s0;
        }

        return (s0, s1);
    }
}

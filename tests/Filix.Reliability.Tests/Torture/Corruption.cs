using System.Buffers.Binary;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// Damage done to a copy of a database the way disks, file systems and careless tools do it
/// (https://www.sqlite.org/howtocorrupt.html): a page zeroed (a lost write), random bytes in a page (a bad sector, a
/// stray write), the file cut short, the WAL cut short (a torn tail), the WAL's salt changed so its frames look like
/// they belong to another generation (an old WAL put back beside a newer file, as a file sync tool or an SMB cache
/// does). Offsets are SQLite's file format (https://www.sqlite.org/fileformat2.html).
/// </summary>
internal static class Corruption
{
    /// <summary>The page size from the database header (offset 16, big-endian; 1 means 65,536).</summary>
    public static int PageSize(string path)
    {
        Span<byte> header = stackalloc byte[2];
        using var file = File.OpenRead(path);
        file.Position = 16;
        file.ReadExactly(header);
        var size = BinaryPrimitives.ReadUInt16BigEndian(header);
        return size == 1 ? 65536 : size;
    }

    public static long PageCount(string path) => new FileInfo(path).Length / PageSize(path);

    /// <summary>Overwrites page <paramref name="page"/> (1-based) with zeros.</summary>
    public static void ZeroPage(string path, long page)
    {
        var size = PageSize(path);
        Write(path, (page - 1) * size, new byte[size]);
    }

    /// <summary>Random bytes over the start of page <paramref name="page"/>: its b-tree header and cell pointers (random
    /// bytes in a page's unused space would change nothing SQLite reads). The first byte is never a valid page type.</summary>
    public static void RandomBytes(string path, long page, Random random)
    {
        var bytes = new byte[256];
        random.NextBytes(bytes);
        while (bytes[0] is 2 or 5 or 10 or 13)
        {
            bytes[0] = (byte)random.Next(256);
        }

        Write(path, (page - 1) * PageSize(path), bytes);
    }

    /// <summary>Cuts the file to <paramref name="keep"/> of its length, not on a page boundary.</summary>
    public static void Truncate(string path, double keep)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength((long)(file.Length * keep) + 17);
    }

    /// <summary>Cuts a WAL in the middle of a frame, as a torn write at its end leaves it.</summary>
    public static void TruncateWal(string wal, double keep)
    {
        using var file = new FileStream(wal, FileMode.Open, FileAccess.Write);
        file.SetLength((long)(file.Length * keep) + 13);
    }

    /// <summary>Gives the WAL header new salts (offsets 16 and 20) and a valid header checksum (offset 24): every frame,
    /// stamped with the old salts, now reads as a leftover of an earlier generation of the WAL.</summary>
    public static void MismatchWalSalt(string wal)
    {
        var header = new byte[32];
        using var file = new FileStream(wal, FileMode.Open, FileAccess.ReadWrite);
        file.ReadExactly(header);
        var salt1 = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(16));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(16), salt1 + 1);
        var bigEndian = (BinaryPrimitives.ReadUInt32BigEndian(header) & 1) == 1;
        var (s0, s1) = Checksum(header.AsSpan(0, 24), bigEndian);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(24), s0);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(28), s1);
        file.Position = 0;
        file.Write(header);
    }

    /// <summary>The pages a WAL holds frames of (each frame header starts with its page number): damage to those pages in
    /// the database file would be hidden by the WAL's newer copy.</summary>
    public static HashSet<long> WalPages(string wal, int pageSize)
    {
        var pages = new HashSet<long>();
        if (!File.Exists(wal))
        {
            return pages;
        }

        var bytes = File.ReadAllBytes(wal);
        for (long offset = 32; offset + 24 + pageSize <= bytes.Length; offset += 24 + pageSize)
        {
            pages.Add(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)offset)));
        }

        return pages;
    }

    /// <summary>The WAL checksum of https://www.sqlite.org/fileformat2.html#walcksm over 8-byte steps.</summary>
    private static (uint, uint) Checksum(ReadOnlySpan<byte> data, bool bigEndian)
    {
        uint s0 = 0, s1 = 0;
        for (var i = 0; i < data.Length; i += 8)
        {
            var x0 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[i..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            var x1 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[(i + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            s0 += x0 + s1;
            s1 += x1 + s0;
        }

        return (s0, s1);
    }

    private static void Write(string path, long offset, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }
}

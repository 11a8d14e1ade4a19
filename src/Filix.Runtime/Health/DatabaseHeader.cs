using System.Buffers.Binary;

namespace Filix.Runtime.Health;

/// <summary>
/// The first 100 bytes of a SQLite database file, as https://www.sqlite.org/fileformat2.html#the_database_header
/// lays them out (big-endian): the magic string, the page size at offset 16, the file format versions at 18 and 19
/// (2 = WAL), the fixed payload fractions at 21-23, the change counter at 24, the size in pages at 28 and the
/// "version-valid-for" number at 92, which makes the size trustworthy only when it equals the change counter.
/// </summary>
internal readonly struct DatabaseHeader
{
    public const int Length = 100;

    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    private DatabaseHeader(int pageSize, uint pages, bool pagesValid, byte writeVersion, byte readVersion)
    {
        PageSize = pageSize;
        Pages = pages;
        PagesValid = pagesValid;
        WriteVersion = writeVersion;
        ReadVersion = readVersion;
    }

    /// <summary>Bytes per page; 0 when the header's value is invalid.</summary>
    public int PageSize { get; }

    /// <summary>The in-header database size in pages (meaningful only when <see cref="PagesValid"/>).</summary>
    public uint Pages { get; }

    /// <summary>Whether <see cref="Pages"/> can be trusted: non-zero, and written by a SQLite that maintains it.</summary>
    public bool PagesValid { get; }

    public byte WriteVersion { get; }

    public byte ReadVersion { get; }

    /// <summary>Whether <paramref name="bytes"/> begins with "SQLite format 3\0".</summary>
    public static bool HasMagic(ReadOnlySpan<byte> bytes) => bytes.Length >= Magic.Length && bytes[..Magic.Length].SequenceEqual(Magic);

    /// <summary>Reads a header whose magic is already known to be right; null with <paramref name="problem"/> set when a
    /// field SQLite checks before it reads anything is invalid (it would report "file is not a database").</summary>
    public static DatabaseHeader? Parse(ReadOnlySpan<byte> bytes, out string? problem)
    {
        problem = null;
        if (bytes.Length < Length)
        {
            problem = $"its header is cut short ({bytes.Length} of {Length} bytes)";
            return null;
        }

        var raw = BinaryPrimitives.ReadUInt16BigEndian(bytes[16..]);
        var pageSize = raw == 1 ? 65536 : raw;
        if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        {
            problem = $"its header gives the page size {raw}, which is not a power of two between 512 and 65536";
            return null;
        }

        if (bytes[18] is not (1 or 2) || bytes[19] is not (1 or 2))
        {
            problem = $"its header gives the file format versions {bytes[18]}/{bytes[19]} (SQLite writes 1 or 2)";
            return null;
        }

        if (bytes[21] != 64 || bytes[22] != 32 || bytes[23] != 32)
        {
            problem = $"its header's fixed payload fractions are {bytes[21]}/{bytes[22]}/{bytes[23]}, not 64/32/32";
            return null;
        }

        if (bytes[20] > pageSize - 480)
        {
            problem = $"its header reserves {bytes[20]} bytes of each {pageSize}-byte page, leaving less than SQLite's minimum of 480";
            return null;
        }

        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(bytes[24..]);
        var pages = BinaryPrimitives.ReadUInt32BigEndian(bytes[28..]);
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(bytes[92..]);
        return new DatabaseHeader(pageSize, pages, pages > 0 && changeCounter == validFor, bytes[18], bytes[19]);
    }
}

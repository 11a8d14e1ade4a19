using System.IO.Compression;
using System.Security.Cryptography;

namespace Filix.Runtime.Backups;

/// <summary>
/// The compressed backup file: gzip (in the framework, readable by every <c>gunzip</c>; zstd is not in .NET 10's
/// base library) at the fastest level, which on a database file costs a fraction of the optimal level's time for a
/// few percent more bytes. The SHA-256 of the uncompressed database is taken while compressing and again while
/// reading the written file back, so a listed backup is known to decompress to exactly the copy that passed
/// <c>integrity_check</c>; the SHA-256 of the compressed bytes goes in the manifest, so a restore notices a file
/// changed since (bit rot, a truncated copy) before it decompresses anything.
/// </summary>
internal static class BackupFile
{
    private const int BufferSize = 1 << 20;

    /// <summary>Compresses <paramref name="databasePath"/> into the new file <paramref name="gzipPath"/>, flushed
    /// to disk. Returns the compressed size and hash and the uncompressed hash.</summary>
    public static (long Bytes, string Sha256, string RawSha256) Compress(string databasePath, string gzipPath, CancellationToken cancellationToken)
    {
        using var raw = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var packed = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var input = new FileStream(databasePath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan))
        using (var output = new FileStream(gzipPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
        {
            using (var hashing = new HashingStream(output, packed))
            using (var gzip = new GZipStream(hashing, CompressionLevel.Fastest, leaveOpen: true))
            {
                Pump(input, gzip, raw, cancellationToken);
            }

            output.Flush(flushToDisk: true);
            return (output.Length, Convert.ToHexStringLower(packed.GetHashAndReset()), Convert.ToHexStringLower(raw.GetHashAndReset()));
        }
    }

    /// <summary>Decompresses <paramref name="gzipPath"/>, into <paramref name="targetPath"/> (flushed to disk) or
    /// nowhere when it is null; returns the SHA-256 of the decompressed bytes.</summary>
    /// <exception cref="InvalidDataException">The file is not gzip, or is damaged or truncated.</exception>
    public static string Decompress(string gzipPath, string? targetPath, CancellationToken cancellationToken)
    {
        using var raw = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var input = new FileStream(gzipPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = targetPath is null ? Stream.Null : new FileStream(targetPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
        Pump(gzip, output, raw, cancellationToken);
        if (output is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }

        return Convert.ToHexStringLower(raw.GetHashAndReset());
    }

    /// <summary>SHA-256 of a file's bytes as they are.</summary>
    public static string HashOf(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void Pump(Stream input, Stream output, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
            output.Write(buffer, 0, read);
        }
    }

    /// <summary>Hashes what passes through to the file (the compressed bytes).</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

using System.Runtime.InteropServices;

namespace Filix.Runtime.Health;

/// <summary>
/// Whether another process holds a WAL database open. Every SQLite connection in WAL mode holds a shared POSIX lock
/// on the "DMS" byte of the <c>-shm</c> file (offset 128: unixShmMap's UNIX_SHM_DMS, after the 8 lock slots at 120)
/// for as long as it is open; the first connection to find that byte unlocked rebuilds the shared memory and
/// recovers the WAL. <c>F_GETLK</c> asks whether a write lock on it would conflict, without taking any lock.
/// </summary>
/// <remarks>
/// Closing any descriptor of a file drops every POSIX lock this process holds on it (howtocorrupt.html §2.2), so
/// this opens the <c>-shm</c> only while this process has no connection to the database (see <see cref="OpenFiles"/>).
/// Linux only (the <c>struct flock</c> layout and <c>F_GETLK</c> differ elsewhere): other systems answer "unknown"
/// and the caller takes the cautious path.
/// </remarks>
internal static partial class ShmHolders
{
    private const long DmsByte = 128;
    private const int GetLock = 5; // F_GETLK (x86-64 and arm64 Linux)
    private const short WriteLock = 1; // F_WRLCK
    private const short Unlocked = 2; // F_UNLCK
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    /// <summary>True when another process holds the database open, false when none does, null when it cannot be told.</summary>
    private const int NoSuchFile = 2; // ENOENT

    public static bool? OtherProcessHolds(string shm)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(shm))
        {
            return OperatingSystem.IsLinux() ? false : null;
        }

        var fd = Open(shm, ReadOnlyCloseOnExec, 0);
        if (fd < 0)
        {
            // ENOENT: the last holder closed cleanly and deleted it since File.Exists; nobody holds it.
            return Marshal.GetLastPInvokeError() == NoSuchFile ? false : null;
        }

        try
        {
            var query = new Flock { Type = WriteLock, Whence = 0, Start = DmsByte, Length = 1 };
            return Fcntl(fd, GetLock, ref query) != 0 ? null : query.Type != Unlocked;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Linux's <c>struct flock</c> on 64-bit targets.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, ref Flock query);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

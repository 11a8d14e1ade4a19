using System.Runtime.InteropServices;

namespace Filix.Runtime.Writing;

/// <summary>The three libc calls the cross-process write lock needs. The file is opened with libc's
/// <c>open</c>, not a <see cref="FileStream"/>: .NET takes its own advisory <c>flock(LOCK_SH)</c> on files it
/// opens for sharing, and a second process holding that shared lock would block our exclusive one forever.</summary>
internal static partial class Libc
{
    public const int LockExclusive = 2; // LOCK_EX
    public const int LockNonBlocking = 4; // LOCK_NB
    public const int Unlock = 8; // LOCK_UN
    public const int Interrupted = 4; // EINTR (same on Linux and macOS)

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary><c>O_RDONLY | O_CREAT | O_CLOEXEC</c> (the constants differ between Linux and the BSDs). Read-only is
    /// enough for <c>flock</c>, so another user's process can lock a lock file this one created.</summary>
    public static int OpenFlags => OperatingSystem.IsLinux() ? 0x40 | 0x80000 : 0x200 | 0x1000000;

    public static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();
}

using System.Runtime.InteropServices;
using System.Text;

namespace Filix.Runtime.FileSystems;

/// <summary>The thin OS side of <see cref="MountedFileSystem.Of"/>: one <c>statfs</c> (Linux, macOS) or
/// <c>GetDriveType</c> (Windows) call, whose answer the tables classify.</summary>
internal static partial class FileSystemProbe
{
    /// <summary>Tests: what <see cref="Detect"/> answers in this async flow instead of asking the OS (a simulated
    /// SMB share on a local folder). Null in production. An <see cref="AsyncLocal{T}"/>, so tests running in
    /// parallel in the same process never see each other's simulation.</summary>
    private static readonly AsyncLocal<Func<string, MountedFileSystem>?> Simulated = new();

    /// <summary>Makes <see cref="Detect"/> answer <paramref name="detect"/> in this async flow until disposed.</summary>
    internal static IDisposable Simulate(Func<string, MountedFileSystem> detect)
    {
        var previous = Simulated.Value;
        Simulated.Value = detect;
        return new Restore(previous);
    }

    public static MountedFileSystem Detect(string folder)
    {
        if (Simulated.Value is { } simulated)
        {
            return simulated(folder);
        }

        if (OperatingSystem.IsWindows())
        {
            return Windows(folder);
        }

        if (OperatingSystem.IsLinux())
        {
            return Linux(folder);
        }

        return OperatingSystem.IsMacOS()
            ? MacFileSystems.FromName(MacTypeName(folder))
            : new MountedFileSystem(FileSystemKind.Unknown, "unknown", "not probed on " + RuntimeInformation.OSDescription);
    }

    private static MountedFileSystem Linux(string folder)
    {
        var magic = LinuxMagic(folder);

        // mountinfo is read (a few KB of text) only when the magic leaves the question open, so the common case
        // stays one system call (2-3 us measured here).
        return LinuxFileSystems.FromMagic(magic, LinuxFileSystems.NeedsMountType(magic) ? LinuxMountType(folder) : null);
    }

    private static unsafe uint LinuxMagic(string folder)
    {
        // struct statfs is 120 bytes on 64-bit Linux (84 on 32-bit); f_type, a long, comes first.
        var buffer = stackalloc byte[512];
        if (StatFs(folder, buffer) != 0)
        {
            throw Failed("statfs", folder);
        }

        return (uint)(ulong)*(nint*)buffer;
    }

    private static string? LinuxMountType(string folder)
    {
        try
        {
            var mounts = MountInfo.Parse(File.ReadAllText("/proc/self/mountinfo"));
            return MountInfo.Holding(mounts, RealPath(folder))?.FsType;
        }
        catch (IOException)
        {
            return null; // no /proc (a chroot without it): the magic alone decides
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static unsafe string RealPath(string folder)
    {
        var buffer = stackalloc byte[4097]; // PATH_MAX + 1
        return RealPathNative(folder, buffer) == 0 ? folder : Marshal.PtrToStringUTF8((nint)buffer) ?? folder;
    }

    private static unsafe string MacTypeName(string folder)
    {
        // struct statfs (64-bit inodes) is 2,168 bytes; f_fstypename, char[16], is at offset 72.
        var buffer = stackalloc byte[4096];
        var result = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? StatFsMacX64(folder, buffer) : StatFs(folder, buffer);
        if (result != 0)
        {
            throw Failed("statfs", folder);
        }

        var name = new ReadOnlySpan<byte>(buffer + 72, 16);
        var end = name.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
    }

    private static MountedFileSystem Windows(string folder)
    {
        if (WindowsFileSystems.UncServer(folder) is not null)
        {
            return WindowsFileSystems.FromDrive(folder, DriveType.Network, null);
        }

        var root = Path.GetPathRoot(folder);
        if (string.IsNullOrEmpty(root))
        {
            return WindowsFileSystems.FromDrive(folder, DriveType.Unknown, null);
        }

        // DriveInfo asks GetDriveType and GetVolumeInformation: no P/Invoke of our own needed.
        var drive = new DriveInfo(root);
        string? format = null;
        try
        {
            format = drive.DriveFormat;
        }
        catch (IOException)
        {
            // A disconnected network drive has no volume information; its drive type still says remote.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return WindowsFileSystems.FromDrive(folder, drive.DriveType, format);
    }

    private static FilixException Failed(string call, string folder)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new FilixException(
            $"Cannot tell which file system holds '{folder}': {call} failed ({Marshal.GetPInvokeErrorMessage(errno)}, errno {errno}). Check that the folder exists and can be read.",
            folder);
    }

    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatFs(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "statfs$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatFsMacX64(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint RealPathNative(string path, byte* resolved);

    private sealed class Restore(Func<string, MountedFileSystem>? previous) : IDisposable
    {
        public void Dispose() => Simulated.Value = previous;
    }
}

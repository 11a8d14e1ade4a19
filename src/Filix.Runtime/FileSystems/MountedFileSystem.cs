namespace Filix.Runtime.FileSystems;

/// <summary>
/// The file system a folder is on, and whether a SQLite database in WAL mode is safe there.
/// </summary>
/// <remarks>
/// The detection is pure tables
/// (<see cref="LinuxFileSystems"/>, <see cref="MacFileSystems"/>, <see cref="WindowsFileSystems"/>) over what one thin
/// OS call returns (<see cref="FileSystemProbe"/>).
/// </remarks>
/// <param name="Kind">What kind of file system it is.</param>
/// <param name="TypeName">The operating system's name for it: Linux's <c>fstype</c> (<c>ext4</c>, <c>cifs</c>,
/// <c>fuse.sshfs</c>), macOS's <c>f_fstypename</c> (<c>apfs</c>, <c>smbfs</c>), Windows' volume format or
/// <c>UNC</c>.</param>
/// <param name="Source">What it was recognised by, for messages: <c>statfs f_type 0xFF534D42</c>,
/// <c>/proc/self/mountinfo</c>, <c>statfs f_fstypename</c>, <c>GetDriveType DRIVE_REMOTE</c>, <c>UNC path</c>.</param>
public sealed record MountedFileSystem(FileSystemKind Kind, string TypeName, string Source)
{
    /// <summary>The folder that was probed (empty when the record comes straight from a table).</summary>
    public string Folder { get; init; } = string.Empty;

    /// <summary>True where SQLite's WAL mode (its <c>-shm</c> memory mapping and POSIX locks) works as documented.</summary>
    public bool IsSafeForWal => Kind is FileSystemKind.Local or FileSystemKind.Memory or FileSystemKind.Overlay or FileSystemKind.Unknown;

    /// <summary>Why the kind is unsafe for WAL, or the caveat of a safe one; null for a local disk or overlay.</summary>
    public string? Concern => Kind switch
    {
        FileSystemKind.Network => "it is a network file system: WAL keeps its index in shared memory (the -shm file, memory-mapped by every process using the database), which cannot be shared between machines, and SQLite's POSIX advisory locks are not reliably implemented over the network",
        FileSystemKind.Cluster => "it is a shared-disk cluster file system, made so that several machines use the same files, and WAL requires every process using the database to be on the same host",
        FileSystemKind.HostShare => "it is a folder shared from another operating system (a VM host, or a Windows drive seen from WSL): processes on the other side of the share do not see this side's -shm memory mapping or its locks",
        FileSystemKind.Fuse => "it is a user-space (FUSE) file system Filix does not know: whether it keeps the data on this machine and gives shared memory mappings, POSIX locks and fsync the semantics SQLite needs is up to its daemon",
        FileSystemKind.Virtual => "it is a kernel pseudo file system, which cannot hold a database",
        FileSystemKind.Memory => "it is a memory file system: safe for WAL, but its contents are gone after a reboot",
        FileSystemKind.Unknown => "Filix does not know this file system; it is treated as a local disk. If it is reached over a network or shared with another machine, move the database to a local disk",
        _ => null,
    };

    /// <summary>"cifs (network; statfs f_type 0xFF534D42)": for messages.</summary>
    public string Describe() => $"{TypeName} ({KindName}; {Source})";

    private string KindName => Kind switch
    {
        FileSystemKind.HostShare => "shared from another operating system",
        FileSystemKind.Fuse => "FUSE",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Detects the file system holding <paramref name="folder"/> (which must exist).</summary>
    /// <exception cref="FilixException">The folder cannot be probed (it does not exist, or the OS call failed).</exception>
    public static MountedFileSystem Of(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        return FileSystemProbe.Detect(full) with { Folder = full };
    }
}

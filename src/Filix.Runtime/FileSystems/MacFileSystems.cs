using System.Collections.Frozen;

namespace Filix.Runtime.FileSystems;

/// <summary>macOS (and the BSDs' <c>f_fstypename</c>): <c>statfs(2)</c>'s file system name mapped to a
/// <see cref="FileSystemKind"/>. Pure table; the OS call is in <see cref="FileSystemProbe"/>.</summary>
internal static class MacFileSystems
{
    private static readonly FrozenDictionary<string, FileSystemKind> ByName = new Dictionary<string, FileSystemKind>(StringComparer.Ordinal)
    {
        ["apfs"] = FileSystemKind.Local,
        ["hfs"] = FileSystemKind.Local,
        ["msdos"] = FileSystemKind.Local,
        ["exfat"] = FileSystemKind.Local,
        ["ntfs"] = FileSystemKind.Local,
        ["udf"] = FileSystemKind.Local,
        ["cd9660"] = FileSystemKind.Local,
        ["zfs"] = FileSystemKind.Local,
        ["ufs"] = FileSystemKind.Local, // FreeBSD
        ["ext2fs"] = FileSystemKind.Local,
        ["tmpfs"] = FileSystemKind.Memory, // FreeBSD
        ["mfs"] = FileSystemKind.Memory,
        ["unionfs"] = FileSystemKind.Overlay,
        ["smbfs"] = FileSystemKind.Network,
        ["nfs"] = FileSystemKind.Network,
        ["afpfs"] = FileSystemKind.Network,
        ["webdav"] = FileSystemKind.Network,
        ["cifs"] = FileSystemKind.Network,
        ["ftp"] = FileSystemKind.Network,
        ["9p"] = FileSystemKind.HostShare, // FreeBSD's virtio 9p
        ["p9fs"] = FileSystemKind.HostShare,
        ["prl_fs"] = FileSystemKind.HostShare, // Parallels guest
        ["vmhgfs"] = FileSystemKind.HostShare, // VMware guest
        ["vboxsf"] = FileSystemKind.HostShare,
        ["macfuse"] = FileSystemKind.Fuse,
        ["osxfuse"] = FileSystemKind.Fuse,
        ["osxfusefs"] = FileSystemKind.Fuse,
        ["fusefs"] = FileSystemKind.Fuse,
        ["fuse"] = FileSystemKind.Fuse,
        ["devfs"] = FileSystemKind.Virtual,
        ["autofs"] = FileSystemKind.Virtual,
        ["procfs"] = FileSystemKind.Virtual,
        ["fdescfs"] = FileSystemKind.Virtual,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The kind of <paramref name="typeName"/> (<c>f_fstypename</c>); fuse-t mounts present themselves as
    /// <c>nfs</c> or <c>smbfs</c> and are refused as such, which is right: that is how they reach their daemon.</summary>
    public static MountedFileSystem FromName(string typeName)
    {
        var name = typeName.Trim();
        var kind = ByName.TryGetValue(name, out var known) ? known
            : name.StartsWith("fusefs.", StringComparison.Ordinal) || name.Contains("fuse", StringComparison.Ordinal) ? FileSystemKind.Fuse
            : FileSystemKind.Unknown;
        return new MountedFileSystem(kind, name, "statfs f_fstypename");
    }
}

using System.Collections.Frozen;
using System.Globalization;

namespace Filix.Runtime.FileSystems;

/// <summary>
/// Linux: <c>statfs(2)</c>'s <c>f_type</c> magic number, and for FUSE (one magic for every daemon) or an unknown magic
/// the <c>fstype</c> column of <c>/proc/self/mountinfo</c>, mapped to a <see cref="FileSystemKind"/>. Pure tables; the
/// OS calls are in <see cref="FileSystemProbe"/>.
/// </summary>
/// <remarks>Magic numbers from the kernel's <c>include/uapi/linux/magic.h</c> and, for file systems built outside
/// the kernel tree (ZFS, Lustre, GPFS, BeeGFS, OrangeFS), from their sources. <c>f_type</c> is a <c>long</c>; only its
/// low 32 bits carry the magic (CIFS's 0xFF534D42 must not be read sign-extended).</remarks>
internal static class LinuxFileSystems
{
    public const uint FuseMagic = 0x65735546;

    /// <summary>WSL 1 reports one magic for its Linux root (lxfs/wslfs) and for Windows drives (drvfs).</summary>
    public const uint WslMagic = 0x53464846;

    /// <summary>One magic number: the name Filix reports, its kind, and every mountinfo <c>fstype</c> that statfs
    /// reports with it (ext2, ext3 and ext4 share one magic; devtmpfs is a tmpfs).</summary>
    internal sealed record Entry(uint Magic, string Name, FileSystemKind Kind, params string[] MountTypes);

    internal static readonly Entry[] Table =
    [
        // Disks of this machine.
        new(0xEF53, "ext4", FileSystemKind.Local, "ext2", "ext3", "ext4"),
        new(0x58465342, "xfs", FileSystemKind.Local, "xfs"),
        new(0x9123683E, "btrfs", FileSystemKind.Local, "btrfs"),
        new(0x2FC12FC1, "zfs", FileSystemKind.Local, "zfs"),
        new(0xF2F52010, "f2fs", FileSystemKind.Local, "f2fs"),
        new(0xCA451A4E, "bcachefs", FileSystemKind.Local, "bcachefs"),
        new(0x3153464A, "jfs", FileSystemKind.Local, "jfs"),
        new(0x52654973, "reiserfs", FileSystemKind.Local, "reiserfs"),
        new(0x3434, "nilfs2", FileSystemKind.Local, "nilfs2"),
        new(0x2011BAB0, "exfat", FileSystemKind.Local, "exfat"),
        new(0x4D44, "vfat", FileSystemKind.Local, "vfat", "msdos", "fat"),
        new(0x5346544E, "ntfs3", FileSystemKind.Local, "ntfs3", "ntfs"),
        new(0x4244, "hfs", FileSystemKind.Local, "hfs"),
        new(0x482B, "hfsplus", FileSystemKind.Local, "hfsplus"),
        new(0x15013346, "udf", FileSystemKind.Local, "udf"),
        new(0x9660, "iso9660", FileSystemKind.Local, "iso9660"),
        new(0x73717368, "squashfs", FileSystemKind.Local, "squashfs"),
        new(0xE0F5E1E2, "erofs", FileSystemKind.Local, "erofs"),
        new(0x28CD3D45, "cramfs", FileSystemKind.Local, "cramfs"),
        new(0x24051905, "ubifs", FileSystemKind.Local, "ubifs"),
        new(0x72B6, "jffs2", FileSystemKind.Local, "jffs2"),
        new(0xF15F, "ecryptfs", FileSystemKind.Local, "ecryptfs"), // stacked on a local file system
        new(WslMagic, "wslfs", FileSystemKind.Local, "wslfs", "lxfs", "drvfs"), // WSL 1: mountinfo tells drvfs apart

        // Memory.
        new(0x01021994, "tmpfs", FileSystemKind.Memory, "tmpfs", "devtmpfs"),
        new(0x858458F6, "ramfs", FileSystemKind.Memory, "ramfs"),

        // Container layers: local, and the CI container's own root.
        new(0x794C7630, "overlay", FileSystemKind.Overlay, "overlay"),
        new(0x61756673, "aufs", FileSystemKind.Overlay, "aufs"),

        // Another machine's storage.
        new(0x6969, "nfs", FileSystemKind.Network, "nfs", "nfs4"),
        new(0xFF534D42, "cifs", FileSystemKind.Network, "cifs", "smb3"),
        new(0xFE534D42, "smb2", FileSystemKind.Network, "smb3", "cifs", "smb2"),
        new(0x517B, "smbfs", FileSystemKind.Network, "smbfs", "smb"),
        new(0x5346414F, "afs", FileSystemKind.Network, "afs"),
        new(0x6B414653, "afs", FileSystemKind.Network, "afs"),
        new(0x00C36400, "ceph", FileSystemKind.Network, "ceph"),
        new(0x73757245, "coda", FileSystemKind.Network, "coda"),
        new(0x564C, "ncpfs", FileSystemKind.Network, "ncpfs", "ncp"),
        new(0x0BD00BD0, "lustre", FileSystemKind.Network, "lustre"),
        new(0x47504653, "gpfs", FileSystemKind.Network, "gpfs"),
        new(0x19830326, "beegfs", FileSystemKind.Network, "beegfs", "fhgfs"),
        new(0x20030528, "pvfs2", FileSystemKind.Network, "pvfs2", "orangefs"),
        new(0xAAD7AAEA, "panfs", FileSystemKind.Network, "panfs"),
        new(0x013111A8, "ibrix", FileSystemKind.Network, "ibrix"),
        new(0xBEEFDEAD, "snfs", FileSystemKind.Network, "snfs"), // StorNext

        // Several machines on one disk.
        new(0x01161970, "gfs2", FileSystemKind.Cluster, "gfs2"),
        new(0x7461636F, "ocfs2", FileSystemKind.Cluster, "ocfs2"),
        new(0x61636673, "acfs", FileSystemKind.Cluster, "acfs"),
        new(0xA501FCF5, "vxfs", FileSystemKind.Cluster, "vxfs"), // Veritas: single-host or clustered, and statfs cannot tell

        // Another operating system's folder.
        new(0x01021997, "9p", FileSystemKind.HostShare, "9p"),
        new(0x786F4256, "vboxsf", FileSystemKind.HostShare, "vboxsf"),
        new(0x7C7C6673, "prl_fs", FileSystemKind.HostShare, "prl_fs"),
        new(0xBACBACBC, "vmhgfs", FileSystemKind.HostShare, "vmhgfs"),
        new(0x00C0FFEE, "hostfs", FileSystemKind.HostShare, "hostfs"),

        // Every FUSE daemon (the daemon's name is in mountinfo: NamedKind decides).
        new(FuseMagic, "fuse", FileSystemKind.Fuse, "fuse", "fuseblk", "virtiofs"),

        // Pseudo file systems (listed so that every mount of a machine is named; none can hold a database).
        new(0x9FA0, "proc", FileSystemKind.Virtual, "proc"),
        new(0x62656572, "sysfs", FileSystemKind.Virtual, "sysfs"),
        new(0x1CD1, "devpts", FileSystemKind.Virtual, "devpts"),
        new(0x0027E0EB, "cgroup", FileSystemKind.Virtual, "cgroup"),
        new(0x63677270, "cgroup2", FileSystemKind.Virtual, "cgroup2"),
        new(0x19800202, "mqueue", FileSystemKind.Virtual, "mqueue"),
        new(0x64626720, "debugfs", FileSystemKind.Virtual, "debugfs"),
        new(0x74726163, "tracefs", FileSystemKind.Virtual, "tracefs"),
        new(0x73636673, "securityfs", FileSystemKind.Virtual, "securityfs"),
        new(0xCAFE4A11, "bpf", FileSystemKind.Virtual, "bpf"),
        new(0x6165676C, "pstore", FileSystemKind.Virtual, "pstore"),
        new(0x62656570, "configfs", FileSystemKind.Virtual, "configfs"),
        new(0x958458F6, "hugetlbfs", FileSystemKind.Virtual, "hugetlbfs"),
        new(0x42494E4D, "binfmt_misc", FileSystemKind.Virtual, "binfmt_misc"),
        new(0x6E736673, "nsfs", FileSystemKind.Virtual, "nsfs"),
        new(0x0187, "autofs", FileSystemKind.Virtual, "autofs"),
        new(0xF97CFF8C, "selinuxfs", FileSystemKind.Virtual, "selinuxfs"),
        new(0xDE5E81E4, "efivarfs", FileSystemKind.Virtual, "efivarfs"),
        new(0x65735543, "fusectl", FileSystemKind.Virtual, "fusectl"),
        new(0x67596969, "rpc_pipefs", FileSystemKind.Virtual, "rpc_pipefs"),
        new(0x6E667364, "nfsd", FileSystemKind.Virtual, "nfsd"),
    ];

    private static readonly FrozenDictionary<uint, Entry> ByMagic = Table.ToFrozenDictionary(e => e.Magic);

    /// <summary>FUSE daemons and other names that only mountinfo tells apart.</summary>
    private static readonly FrozenDictionary<string, FileSystemKind> ByName = new Dictionary<string, FileSystemKind>(StringComparer.Ordinal)
    {
        ["fuseblk"] = FileSystemKind.Local, // a local block device served by a daemon (ntfs-3g, exfat-fuse)
        ["fuse.fuse-overlayfs"] = FileSystemKind.Overlay, // rootless Podman's container layers
        ["fuse.lxcfs"] = FileSystemKind.Virtual,
        ["fuse.portal"] = FileSystemKind.Virtual,
        ["fuse.gvfsd-fuse"] = FileSystemKind.Network, // GNOME's mounts of smb://, sftp://, dav://
        ["virtiofs"] = FileSystemKind.HostShare,
        ["fuse.vmhgfs-fuse"] = FileSystemKind.HostShare, // VMware shared folders
        ["fuse.grpcfuse"] = FileSystemKind.HostShare, // Docker Desktop's host folders
        ["fuse.osxfs"] = FileSystemKind.HostShare,
        ["drvfs"] = FileSystemKind.HostShare, // WSL 1's Windows drives (Windows processes lock them another way)
        ["fuse.sshfs"] = FileSystemKind.Network,
        ["fuse.rclone"] = FileSystemKind.Network,
        ["fuse.s3fs"] = FileSystemKind.Network,
        ["fuse.gcsfuse"] = FileSystemKind.Network,
        ["fuse.goofys"] = FileSystemKind.Network,
        ["fuse.geesefs"] = FileSystemKind.Network,
        ["fuse.mountpoint-s3"] = FileSystemKind.Network,
        ["fuse.blobfuse"] = FileSystemKind.Network,
        ["fuse.blobfuse2"] = FileSystemKind.Network,
        ["fuse.glusterfs"] = FileSystemKind.Network,
        ["fuse.ceph-fuse"] = FileSystemKind.Network,
        ["fuse.juicefs"] = FileSystemKind.Network,
        ["fuse.seaweedfs"] = FileSystemKind.Network,
        ["fuse.mfs"] = FileSystemKind.Network, // MooseFS
        ["fuse.smbnetfs"] = FileSystemKind.Network,
        ["fuse.curlftpfs"] = FileSystemKind.Network,
        ["fuse.davfs"] = FileSystemKind.Network,
        ["davfs"] = FileSystemKind.Network,
        ["fuse.onedriver"] = FileSystemKind.Network,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>True when the magic alone does not decide: FUSE (one magic for every daemon), WSL 1 (one magic for its
    /// root and for Windows drives), or a magic this table lacks. Then the probe reads mountinfo's fstype.</summary>
    public static bool NeedsMountType(uint magic) =>
        !ByMagic.TryGetValue(magic, out var entry) || entry.Kind == FileSystemKind.Fuse || magic == WslMagic;

    /// <summary>The kind of the file system with <paramref name="magic"/>, whose mountinfo <c>fstype</c> is
    /// <paramref name="mountType"/> when it was looked up (null when it was not, or the mount was not found).</summary>
    public static MountedFileSystem FromMagic(uint magic, string? mountType)
    {
        var source = "statfs f_type 0x" + magic.ToString("X", CultureInfo.InvariantCulture);
        if (ByMagic.TryGetValue(magic, out var entry) && entry.Kind != FileSystemKind.Fuse && !(magic == WslMagic && mountType is not null))
        {
            var name = mountType is not null && entry.MountTypes.Contains(mountType) ? mountType : entry.Name;
            return new MountedFileSystem(entry.Kind, name, source);
        }

        // FUSE (the daemon decides everything) or a magic this table lacks: the name mountinfo gives is all there is.
        if (mountType is not null && NamedKind(mountType) is { } kind)
        {
            return new MountedFileSystem(kind, mountType, source + ", /proc/self/mountinfo");
        }

        return entry is not null
            ? new MountedFileSystem(entry.Kind, mountType ?? entry.Name, source)
            : new MountedFileSystem(FileSystemKind.Unknown, mountType ?? "0x" + magic.ToString("X", CultureInfo.InvariantCulture), source);
    }

    /// <summary>The kind a mountinfo <c>fstype</c> names, or null when the name says nothing Filix knows.</summary>
    public static FileSystemKind? NamedKind(string mountType)
    {
        if (ByName.TryGetValue(mountType, out var kind))
        {
            return kind;
        }

        foreach (var entry in Table)
        {
            if (entry.Kind != FileSystemKind.Fuse && entry.Magic != WslMagic && entry.MountTypes.Contains(mountType))
            {
                return entry.Kind;
            }
        }

        return mountType == "fuse" || mountType.StartsWith("fuse.", StringComparison.Ordinal) ? FileSystemKind.Fuse : null;
    }

    /// <summary>Whether statfs's <paramref name="magic"/> and mountinfo's <paramref name="mountType"/> name the same
    /// file system (the cross-check of the tests).</summary>
    public static bool Agree(uint magic, string mountType) =>
        ByMagic.TryGetValue(magic, out var entry)
        && (entry.MountTypes.Contains(mountType) || (entry.Kind == FileSystemKind.Fuse && mountType.StartsWith("fuse.", StringComparison.Ordinal)));
}

namespace Filix.Runtime.FileSystems;

/// <summary>What kind of file system holds a database's folder, as far as SQLite's WAL mode cares.</summary>
/// <remarks>The line between safe and unsafe is SQLite's own: "all processes using a database must be on the same host
/// computer; WAL does not work over a network filesystem" (https://www.sqlite.org/wal.html). A kind is unsafe when
/// the file system exists so that another machine (or another operating system) can use the same files, or when
/// Filix cannot know whether it gives memory mappings and locks the semantics SQLite needs.</remarks>
public enum FileSystemKind
{
    /// <summary>A disk file system of this machine (ext4, xfs, btrfs, zfs, f2fs, APFS, NTFS ...). Safe.</summary>
    Local,

    /// <summary>A memory file system (tmpfs, ramfs). Safe for WAL; its contents are gone after a reboot.</summary>
    Memory,

    /// <summary>A union of local layers (overlayfs: Docker's and Podman's container file system; aufs;
    /// fuse-overlayfs). Safe: every layer is on this machine and the kernel serves the memory mapping.</summary>
    Overlay,

    /// <summary>Storage on another machine reached over the network: SMB/CIFS, NFS, AFS, Ceph, Coda, NCP, Lustre,
    /// GPFS, BeeGFS, and network storage mounted through FUSE (sshfs, rclone, s3fs, gcsfuse ...). Unsafe.</summary>
    Network,

    /// <summary>A shared-disk cluster file system (GFS2, OCFS2): made so that several machines use the same files.
    /// Unsafe: WAL needs every process on one host.</summary>
    Cluster,

    /// <summary>A host's folder shared into a virtual machine or WSL (9p: WSL 2's <c>/mnt/c</c>; virtiofs; vboxsf;
    /// Docker Desktop's file sharing). Unsafe: processes on the other side of the share do not share the memory
    /// mapping or the locks.</summary>
    HostShare,

    /// <summary>A user-space (FUSE) file system whose daemon Filix does not know. Unsafe: whether the data stays on
    /// this machine, and whether shared mappings, locks and fsync behave as SQLite needs, is up to the daemon.</summary>
    Fuse,

    /// <summary>A kernel pseudo file system (proc, sysfs, cgroup ...) that cannot hold a database.</summary>
    Virtual,

    /// <summary>A file system missing from Filix's tables. Treated as safe, with a warning (see
    /// docs/reliability/filesystems.md): every network and cluster file system the kernels name is in the tables, so
    /// an unknown one is far more likely a new local file system than a network one.</summary>
    Unknown,
}

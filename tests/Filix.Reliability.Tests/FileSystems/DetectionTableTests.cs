using Filix.Runtime.FileSystems;

namespace Filix.Reliability.Tests.FileSystems;

/// <summary>The pure tables: what each operating system reports, mapped to a kind and to safe or unsafe for WAL.</summary>
public sealed class DetectionTableTests
{
    [Theory]
    // Network: seed 001's SMB share in all three of its Linux spellings, NFS, and the rest.
    [InlineData(0xFF534D42u, null, FileSystemKind.Network, "cifs")]
    [InlineData(0xFF534D42u, "smb3", FileSystemKind.Network, "smb3")]
    [InlineData(0xFE534D42u, null, FileSystemKind.Network, "smb2")]
    [InlineData(0x517Bu, null, FileSystemKind.Network, "smbfs")]
    [InlineData(0x6969u, "nfs4", FileSystemKind.Network, "nfs4")]
    [InlineData(0x6969u, null, FileSystemKind.Network, "nfs")]
    [InlineData(0x5346414Fu, null, FileSystemKind.Network, "afs")]
    [InlineData(0x6B414653u, null, FileSystemKind.Network, "afs")]
    [InlineData(0x00C36400u, null, FileSystemKind.Network, "ceph")]
    [InlineData(0x73757245u, null, FileSystemKind.Network, "coda")]
    [InlineData(0x564Cu, null, FileSystemKind.Network, "ncpfs")]
    [InlineData(0x0BD00BD0u, null, FileSystemKind.Network, "lustre")]
    [InlineData(0x47504653u, null, FileSystemKind.Network, "gpfs")]
    [InlineData(0x19830326u, null, FileSystemKind.Network, "beegfs")]
    // Cluster file systems: made for several machines.
    [InlineData(0x01161970u, null, FileSystemKind.Cluster, "gfs2")]
    [InlineData(0x7461636Fu, null, FileSystemKind.Cluster, "ocfs2")]
    // Another operating system's folder: WSL 2's /mnt/c is 9p; WSL 1's is drvfs behind the wslfs magic.
    [InlineData(0x01021997u, "9p", FileSystemKind.HostShare, "9p")]
    [InlineData(0x53464846u, "drvfs", FileSystemKind.HostShare, "drvfs")]
    [InlineData(0x53464846u, "lxfs", FileSystemKind.Local, "lxfs")]
    [InlineData(0x786F4256u, null, FileSystemKind.HostShare, "vboxsf")]
    // FUSE: the daemon named in mountinfo decides.
    [InlineData(0x65735546u, "fuse.sshfs", FileSystemKind.Network, "fuse.sshfs")]
    [InlineData(0x65735546u, "fuse.rclone", FileSystemKind.Network, "fuse.rclone")]
    [InlineData(0x65735546u, "fuse.s3fs", FileSystemKind.Network, "fuse.s3fs")]
    [InlineData(0x65735546u, "fuse.gvfsd-fuse", FileSystemKind.Network, "fuse.gvfsd-fuse")]
    [InlineData(0x65735546u, "virtiofs", FileSystemKind.HostShare, "virtiofs")]
    [InlineData(0x65735546u, "fuse.grpcfuse", FileSystemKind.HostShare, "fuse.grpcfuse")]
    [InlineData(0x65735546u, "fuse.fuse-overlayfs", FileSystemKind.Overlay, "fuse.fuse-overlayfs")]
    [InlineData(0x65735546u, "fuseblk", FileSystemKind.Local, "fuseblk")]
    [InlineData(0x65735546u, "fuse.somethingnew", FileSystemKind.Fuse, "fuse.somethingnew")]
    [InlineData(0x65735546u, "fuse", FileSystemKind.Fuse, "fuse")]
    [InlineData(0x65735546u, null, FileSystemKind.Fuse, "fuse")]
    // Local disks, memory and container layers (CI runs in a container: overlay must be safe).
    [InlineData(0xEF53u, "ext4", FileSystemKind.Local, "ext4")]
    [InlineData(0xEF53u, "ext3", FileSystemKind.Local, "ext3")]
    [InlineData(0xEF53u, null, FileSystemKind.Local, "ext4")]
    [InlineData(0x58465342u, null, FileSystemKind.Local, "xfs")]
    [InlineData(0x9123683Eu, null, FileSystemKind.Local, "btrfs")]
    [InlineData(0x2FC12FC1u, null, FileSystemKind.Local, "zfs")]
    [InlineData(0xF2F52010u, null, FileSystemKind.Local, "f2fs")]
    [InlineData(0x01021994u, "tmpfs", FileSystemKind.Memory, "tmpfs")]
    [InlineData(0x794C7630u, "overlay", FileSystemKind.Overlay, "overlay")]
    [InlineData(0x61756673u, null, FileSystemKind.Overlay, "aufs")]
    [InlineData(0x9FA0u, "proc", FileSystemKind.Virtual, "proc")]
    // Unknown magic: mountinfo's name when it knows it, else unknown (treated as safe, with a warning).
    [InlineData(0x12345678u, "nfs4", FileSystemKind.Network, "nfs4")]
    [InlineData(0x12345678u, "fuse.whatever", FileSystemKind.Fuse, "fuse.whatever")]
    [InlineData(0x12345678u, "newfs", FileSystemKind.Unknown, "newfs")]
    [InlineData(0x12345678u, null, FileSystemKind.Unknown, "0x12345678")]
    public void Linux_magic_and_mountinfo_type_give_the_kind(uint magic, string? mountType, FileSystemKind kind, string name)
    {
        var info = LinuxFileSystems.FromMagic(magic, mountType);

        Assert.Equal(kind, info.Kind);
        Assert.Equal(name, info.TypeName);
        Assert.Contains($"0x{magic:X}", info.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FileSystemKind.Local, true)]
    [InlineData(FileSystemKind.Memory, true)]
    [InlineData(FileSystemKind.Overlay, true)]
    [InlineData(FileSystemKind.Unknown, true)]
    [InlineData(FileSystemKind.Network, false)]
    [InlineData(FileSystemKind.Cluster, false)]
    [InlineData(FileSystemKind.HostShare, false)]
    [InlineData(FileSystemKind.Fuse, false)]
    [InlineData(FileSystemKind.Virtual, false)]
    public void Only_local_memory_overlay_and_unknown_file_systems_are_safe_for_wal(FileSystemKind kind, bool safe)
    {
        var info = new MountedFileSystem(kind, "x", "test");

        Assert.Equal(safe, info.IsSafeForWal);
        if (!safe)
        {
            Assert.False(string.IsNullOrWhiteSpace(info.Concern)); // every refusal can say why
        }
    }

    /// <summary>
    /// Against a list Filix did not write: GNU coreutils' <c>stat.c</c> marks each magic "local" or "remote" (for
    /// <c>df -l</c> and <c>tail -f</c>). Every magic it calls remote is unsafe here, except those it marks remote only
    /// so that tail polls (its own comments say so): aufs and overlayfs are local layers, pipefs is no storage.
    /// </summary>
    [Theory]
    [InlineData(0x61636673u, "acfs")]
    [InlineData(0x5346414Fu, "afs")]
    [InlineData(0x00C36400u, "ceph")]
    [InlineData(0xFF534D42u, "cifs")]
    [InlineData(0x73757245u, "coda")]
    [InlineData(0x19830326u, "fhgfs")]
    [InlineData(0x65735546u, "fuse")]
    [InlineData(0x65735543u, "fusectl")]
    [InlineData(0x01161970u, "gfs/gfs2")]
    [InlineData(0x47504653u, "gpfs")]
    [InlineData(0x013111A8u, "ibrix")]
    [InlineData(0x6B414653u, "k-afs")]
    [InlineData(0x0BD00BD0u, "lustre")]
    [InlineData(0x564Cu, "novell")]
    [InlineData(0x6969u, "nfs")]
    [InlineData(0x6E667364u, "nfsd")]
    [InlineData(0x7461636Fu, "ocfs2")]
    [InlineData(0xAAD7AAEAu, "panfs")]
    [InlineData(0x7C7C6673u, "prl_fs")]
    [InlineData(0x517Bu, "smb")]
    [InlineData(0xFE534D42u, "smb2")]
    [InlineData(0xBEEFDEADu, "snfs")]
    [InlineData(0x786F4256u, "vboxsf")]
    [InlineData(0xBACBACBCu, "vmhgfs")]
    [InlineData(0xA501FCF5u, "vxfs")]
    public void Every_magic_coreutils_calls_remote_is_unsafe_for_wal(uint magic, string coreutilsName)
    {
        var info = LinuxFileSystems.FromMagic(magic, mountType: null);

        Assert.False(info.IsSafeForWal, $"coreutils calls 0x{magic:X} ({coreutilsName}) remote, Filix says {info.Describe()}");
    }

    [Fact]
    public void The_magic_table_has_no_duplicates_and_every_kind_but_unknown()
    {
        var magics = LinuxFileSystems.Table.Select(e => e.Magic).ToList();

        Assert.Equal(magics.Count, magics.Distinct().Count());
        Assert.Equal(
            Enum.GetValues<FileSystemKind>().Where(k => k != FileSystemKind.Unknown).Order(),
            LinuxFileSystems.Table.Select(e => e.Kind).Distinct().Order());
    }

    [Theory]
    [InlineData("apfs", FileSystemKind.Local)]
    [InlineData("hfs", FileSystemKind.Local)]
    [InlineData("msdos", FileSystemKind.Local)]
    [InlineData("exfat", FileSystemKind.Local)]
    [InlineData("smbfs", FileSystemKind.Network)]
    [InlineData("nfs", FileSystemKind.Network)]
    [InlineData("afpfs", FileSystemKind.Network)]
    [InlineData("webdav", FileSystemKind.Network)]
    [InlineData("macfuse", FileSystemKind.Fuse)]
    [InlineData("osxfuse", FileSystemKind.Fuse)]
    [InlineData("osxfusefs", FileSystemKind.Fuse)]
    [InlineData("fusefs.sshfs", FileSystemKind.Fuse)]
    [InlineData("prl_fs", FileSystemKind.HostShare)]
    [InlineData("devfs", FileSystemKind.Virtual)]
    [InlineData("lifs", FileSystemKind.Unknown)]
    public void MacOS_fstypename_gives_the_kind(string typeName, FileSystemKind kind)
    {
        var info = MacFileSystems.FromName(typeName);

        Assert.Equal(kind, info.Kind);
        Assert.Equal(typeName, info.TypeName);
    }

    [Theory]
    [InlineData(@"\\server\share\data", DriveType.Unknown, null, FileSystemKind.Network, "server")]
    [InlineData(@"\\katja-pc\neo\live", DriveType.Network, "NTFS", FileSystemKind.Network, "katja-pc")]
    [InlineData(@"\\?\UNC\server\share\data", DriveType.Unknown, null, FileSystemKind.Network, "server")]
    [InlineData(@"//server/share/data", DriveType.Unknown, null, FileSystemKind.Network, "server")]
    [InlineData(@"\\wsl$\Ubuntu\home\me\data", DriveType.Unknown, null, FileSystemKind.HostShare, "wsl$")]
    [InlineData(@"\\wsl.localhost\Ubuntu\home", DriveType.Unknown, null, FileSystemKind.HostShare, "wsl.localhost")]
    [InlineData(@"Z:\data", DriveType.Network, "NTFS", FileSystemKind.Network, null)]
    [InlineData(@"C:\data", DriveType.Fixed, "NTFS", FileSystemKind.Local, null)]
    [InlineData(@"\\?\C:\data", DriveType.Fixed, "ReFS", FileSystemKind.Local, null)]
    [InlineData(@"E:\data", DriveType.Removable, "exFAT", FileSystemKind.Local, null)]
    [InlineData(@"R:\data", DriveType.Ram, "NTFS", FileSystemKind.Memory, null)]
    [InlineData(@"Q:\data", DriveType.NoRootDirectory, null, FileSystemKind.Unknown, null)]
    public void Windows_unc_paths_and_drive_types_give_the_kind(string path, DriveType driveType, string? format, FileSystemKind kind, string? server)
    {
        var info = WindowsFileSystems.FromDrive(path, driveType, format);

        Assert.Equal(kind, info.Kind);
        Assert.Equal(server, WindowsFileSystems.UncServer(path));
        Assert.Contains(server is null ? "GetDriveType" : "UNC path", info.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Mountinfo_lines_are_parsed_with_escapes_and_the_innermost_last_mount_holds_a_path()
    {
        const string text =
            "22 27 0:21 / /proc rw,relatime - proc proc rw\n" +
            "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n" +
            "40 27 0:40 / /mnt/my\\040share rw,relatime shared:1 - cifs //nas/share rw,vers=3.1.1\n" +
            "41 27 0:41 / /mnt/fuse rw - fuse.sshfs me@host:/x rw\n" +
            "42 27 0:42 / /mnt/fuse rw - tmpfs tmpfs rw\n" +
            "garbage line without separator\n";

        var mounts = MountInfo.Parse(text);

        Assert.Equal(5, mounts.Count);
        Assert.Equal("/mnt/my share", mounts[2].MountPoint);
        Assert.Equal("cifs", MountInfo.Holding(mounts, "/mnt/my share/data/db")?.FsType);
        Assert.Equal("ext4", MountInfo.Holding(mounts, "/mnt/my sharex")?.FsType); // a sibling, not inside
        Assert.Equal("tmpfs", MountInfo.Holding(mounts, "/mnt/fuse/a")?.FsType); // mounted over the sshfs one
        Assert.Equal("proc", MountInfo.Holding(mounts, "/proc")?.FsType);
        Assert.Equal("ext4", MountInfo.Holding(mounts, "/home")?.FsType);
    }
}

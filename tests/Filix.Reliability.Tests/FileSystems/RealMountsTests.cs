using Filix.Domains.Contacts;
using Filix.Runtime.FileSystems;
using Filix.Testing;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.FileSystems;

/// <summary>Detection against the machine itself: every mount the kernel lists, and file systems mounted for the
/// test where the machine allows it.</summary>
public sealed class RealMountsTests(ITestOutputHelper output)
{
    /// <summary>statfs's magic (through <see cref="MountedFileSystem.Of"/>) and the kernel's own fstype in
    /// /proc/self/mountinfo must name the same file system at every mount point this process can see.</summary>
    [Fact]
    public void Every_mount_point_is_detected_as_the_file_system_mountinfo_names()
    {
        if (!OperatingSystem.IsLinux())
        {
            Mounting.Report(output, $"Not Linux ({System.Runtime.InteropServices.RuntimeInformation.OSDescription}): no /proc/self/mountinfo to compare with. Checked the temp folder only.");
            Assert.True(MountedFileSystem.Of(Path.GetTempPath()).IsSafeForWal);
            return;
        }

        // The last mount on a path hides the earlier ones (mountinfo lists them in mount order).
        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            var halves = line.Split(" - ");
            mounts[halves[0].Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal)] = halves[1].Split(' ')[0];
        }

        var checkedPoints = new List<string>();
        foreach (var (point, fsType) in mounts.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (fsType == "autofs")
            {
                Mounting.Report(output, $"{point}: autofs, not probed (statfs would trigger the automount)");
                continue;
            }

            MountedFileSystem info;
            try
            {
                info = MountedFileSystem.Of(point);
            }
            catch (Runtime.FilixException ex)
            {
                Mounting.Report(output, $"{point}: {fsType}, cannot be probed by this process: {ex.Message}");
                continue;
            }

            Mounting.Report(output, $"{point}: mountinfo {fsType}, Filix {info.Describe()}, safe for WAL: {info.IsSafeForWal}");
            if (LinuxFileSystems.NamedKind(fsType) is { } expected)
            {
                Assert.Equal(expected, info.Kind);
                Assert.True(
                    info.TypeName == fsType || LinuxFileSystems.Table.Any(e => e.Name == info.TypeName && e.MountTypes.Contains(fsType)),
                    $"{point}: mountinfo says {fsType}, statfs gave {info.Describe()}");
            }
            else
            {
                // Neither table knows the name: the magic must not be known either, or the table lacks an alias.
                Assert.Equal(FileSystemKind.Unknown, info.Kind);
            }

            checkedPoints.Add(point);
        }

        Assert.Contains("/", checkedPoints);
        Assert.Contains("/proc", checkedPoints);
        Assert.Equal(FileSystemKind.Virtual, MountedFileSystem.Of("/proc").Kind);
        Assert.True(MountedFileSystem.Of(Path.GetTempPath()).IsSafeForWal, "the temp folder, where every other test keeps its databases");
    }

    [Fact]
    public async Task A_tmpfs_mounted_for_the_test_is_memory_and_takes_a_wal_database()
    {
        if (!OperatingSystem.IsLinux())
        {
            Mounting.Report(output, "Not Linux: tmpfs cannot be mounted here. Nothing else to check in this test.");
            Assert.False(OperatingSystem.IsLinux());
            return;
        }

        using var dir = TempDirectory.Create("fs-tmpfs");
        var reason = Mounting.Run("mount", "-t", "tmpfs", "-o", "size=8m", "filix-test", dir.Path);
        if (reason is not null)
        {
            Mounting.Report(output, $"Could not mount a tmpfs ({reason}); checking a tmpfs the machine already has instead.");
            var shm = File.ReadAllLines("/proc/self/mountinfo").FirstOrDefault(l => l.Contains(" - tmpfs ", StringComparison.Ordinal));
            Assert.NotNull(shm); // every Linux machine mounts at least one (/dev/shm, /run)
            Assert.Equal(FileSystemKind.Memory, MountedFileSystem.Of(shm.Split(' ')[4]).Kind);
            return;
        }

        try
        {
            var info = MountedFileSystem.Of(dir.Path);
            Mounting.Report(output, $"Mounted tmpfs on {dir.Path}: {info.Describe()}");
            Assert.Equal(FileSystemKind.Memory, info.Kind);
            Assert.Equal("tmpfs", info.TypeName);

            await using var db = await ContactsDatabase.OpenAsync(Path.Combine(dir.Path, "contacts.db"));
            await db.Organizations.InsertAsync(new Organization { Id = Guid.NewGuid(), Name = "On tmpfs" });
            Assert.Equal("wal", await db.Database.ReadAsync(static (s, _) => s.Scalar("PRAGMA journal_mode"), 0));
        }
        finally
        {
            Mounting.Unmount(dir.Path);
        }
    }

    [Fact]
    public async Task An_ext4_loop_mount_made_for_the_test_is_a_local_disk_and_takes_a_wal_database()
    {
        using var dir = TempDirectory.Create("fs-loop");
        var image = dir.File("disk.img");
        var target = Directory.CreateDirectory(dir.File("mnt")).FullName;
        var reason = !OperatingSystem.IsLinux() ? "not Linux"
            : !File.Exists("/dev/loop-control") ? "no /dev/loop-control (loop devices are not available in this container)"
            : Mounting.Run("truncate", "-s", "16M", image) ?? Mounting.Run("mkfs.ext4", "-q", "-F", image) ?? Mounting.Run("mount", "-o", "loop", image, target);
        if (reason is not null)
        {
            Mounting.Report(output, $"Could not loop-mount an ext4 image ({reason}); checking the ext4/xfs/btrfs the machine runs on instead, if any.");
            var root = MountedFileSystem.Of("/");
            Mounting.Report(output, $"/ is {root.Describe()}");
            Assert.True(root.IsSafeForWal, root.Describe());
            return;
        }

        try
        {
            var info = MountedFileSystem.Of(target);
            Mounting.Report(output, $"Loop-mounted ext4 on {target}: {info.Describe()}");
            Assert.Equal(FileSystemKind.Local, info.Kind);
            Assert.Equal("ext4", info.TypeName);

            await using var db = await ContactsDatabase.OpenAsync(Path.Combine(target, "contacts.db"));
            await db.Organizations.InsertAsync(new Organization { Id = Guid.NewGuid(), Name = "On a loop device" });
            Assert.Equal("wal", await db.Database.ReadAsync(static (s, _) => s.Scalar("PRAGMA journal_mode"), 0));
        }
        finally
        {
            Mounting.Unmount(target);
        }
    }
}

using Filix.Domains.Contacts;
using Filix.Runtime;
using Filix.Runtime.FileSystems;
using Filix.Testing;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.FileSystems;

/// <summary>A real FUSE mount (served by <see cref="TinyFuse"/> in this process): the kernel's own statfs and
/// mountinfo for it, not a simulation.</summary>
public sealed class FuseMountTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("filixtest", FileSystemKind.Fuse, "FUSE")]
    [InlineData("sshfs", FileSystemKind.Network, "network file system")] // a daemon the table knows by its name
    public async Task A_database_on_a_real_fuse_mount_is_refused_and_nothing_is_created_on_it(string subtype, FileSystemKind kind, string reason)
    {
        using var dir = TempDirectory.Create("fs-fuse");
        using var fuse = TinyFuse.TryMount(dir.Path, subtype, out var notMounted);
        if (fuse is null)
        {
            Mounting.Report(output, $"Could not mount FUSE here ({notMounted}). Checked instead: the FUSE mounts this machine already has, if any, and the FUSE rows of the table.");
            foreach (var line in File.Exists("/proc/self/mountinfo") ? File.ReadAllLines("/proc/self/mountinfo") : [])
            {
                var fsType = line.Split(" - ")[1].Split(' ')[0];
                if (fsType.StartsWith("fuse", StringComparison.Ordinal))
                {
                    var point = line.Split(' ')[4];
                    Mounting.Report(output, $"{point}: {fsType} -> {MountedFileSystem.Of(point).Describe()}");
                    Assert.Equal(LinuxFileSystems.NamedKind(fsType), MountedFileSystem.Of(point).Kind);
                }
            }

            Assert.Equal(kind, LinuxFileSystems.FromMagic(LinuxFileSystems.FuseMagic, "fuse." + subtype).Kind);
            return;
        }

        var info = MountedFileSystem.Of(dir.Path);
        Mounting.Report(output, $"Mounted FUSE (fuse.{subtype}) on {dir.Path}: {info.Describe()}");
        Assert.Equal(kind, info.Kind);
        Assert.Equal("fuse." + subtype, info.TypeName);
        Assert.Contains("0x65735546", info.Source, StringComparison.Ordinal); // the kernel's FUSE magic, read by statfs

        var path = Path.Combine(dir.Path, "contacts.db");
        var error = await Assert.ThrowsAsync<FilixException>(() => ContactsDatabase.OpenAsync(path));
        Mounting.Report(output, error.Message);

        Assert.Contains($"fuse.{subtype}", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);

        // The file system itself says what it was asked: never to create, open or change a file.
        var requests = fuse.Requests;
        Assert.Contains(TinyFuse.StatFs, requests);
        Assert.DoesNotContain(requests, op => op is TinyFuse.Create or TinyFuse.MkNod or TinyFuse.MkDir or TinyFuse.Open or TinyFuse.Write or TinyFuse.SetAttr);
    }
}

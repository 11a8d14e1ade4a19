using Filix.Domains.Contacts;
using Filix.Runtime;
using Filix.Runtime.FileSystems;
using Filix.Runtime.Migrations;
using Filix.Testing;

namespace Filix.Reliability.Tests.FileSystems;

/// <summary>A database on a share is refused before anything is created or changed, with the file system, the
/// reason (SQLite's own documentation) and the fix in the message.</summary>
[Collection(FileSystemsCollection.Name)]
public sealed class RefusalTests
{
    [Fact]
    public async Task A_new_database_on_an_smb_share_is_refused_and_nothing_is_created()
    {
        using var dir = TempDirectory.Create("fs-refuse");
        var path = dir.File("contacts.db");

        FilixException error;
        using (SimulatedShare.As(SimulatedShare.Smb))
        {
            error = await Assert.ThrowsAsync<FilixException>(() => ContactsDatabase.OpenAsync(path));
        }

        Assert.Equal(path, error.Path);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path)); // no database, no -wal, -shm, lock file or socket
        AssertExplains(error.Message, path, "cifs");
    }

    [Fact]
    public async Task An_existing_database_moved_onto_a_share_is_refused_and_left_byte_for_byte()
    {
        using var dir = TempDirectory.Create("fs-refuse-existing");
        var path = dir.File("contacts.db");
        await using (var db = await ContactsDatabase.OpenAsync(path))
        {
            await db.Organizations.InsertAsync(new Organization { Id = Guid.NewGuid(), Name = "Before the move" });
        }

        var before = Snapshot.Of(dir.Path);
        using (SimulatedShare.As(SimulatedShare.Smb))
        {
            await Assert.ThrowsAsync<FilixException>(() => ContactsDatabase.OpenAsync(path));

            // `filix migrate` writes too: refused the same way.
            var migrate = await Assert.ThrowsAsync<FilixException>(() => SqliteMigrations.MigrateAsync(path, ContactsSchema.Definition));
            AssertExplains(migrate.Message, path, "cifs");
        }

        Assert.Equal(before, Snapshot.Of(dir.Path));
        await using var reopened = await ContactsDatabase.OpenAsync(path); // still a good database on the real disk
        Assert.Equal(1, await reopened.Organizations.CountAsync());
    }

    [Theory]
    [InlineData(0x6969u, "nfs4", "nfs4", "network file system")]
    [InlineData(0x01021997u, "9p", "9p", "Windows drive seen from WSL")]
    [InlineData(0x65735546u, "fuse.sshfs", "fuse.sshfs", "network file system")]
    [InlineData(0x65735546u, "fuse.mystery", "fuse.mystery", "FUSE")]
    [InlineData(0x01161970u, null, "gfs2", "cluster")]
    public async Task Each_unsafe_kind_is_refused_with_its_own_reason(uint magic, string? mountType, string name, string reason)
    {
        using var dir = TempDirectory.Create("fs-refuse-kind");
        var path = dir.File("contacts.db");

        using (SimulatedShare.As(LinuxFileSystems.FromMagic(magic, mountType)))
        {
            var error = await Assert.ThrowsAsync<FilixException>(() => ContactsDatabase.OpenAsync(path));

            AssertExplains(error.Message, path, name);
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task An_unknown_value_of_the_environment_variable_is_an_error_that_names_it()
    {
        using var dir = TempDirectory.Create("fs-env");
        var path = dir.File("contacts.db");
        Environment.SetEnvironmentVariable(FileSystemGuard.EnvironmentVariable, "yes-please");
        try
        {
            using (SimulatedShare.As(SimulatedShare.Smb))
            {
                var error = await Assert.ThrowsAsync<FilixException>(() => ContactsDatabase.OpenAsync(path));

                Assert.Contains("FILIX_UNSAFE_FILESYSTEM", error.Message, StringComparison.Ordinal);
                Assert.Contains("'yes-please'", error.Message, StringComparison.Ordinal);
                Assert.Contains("exclusive-rollback-journal", error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(FileSystemGuard.EnvironmentVariable, null);
        }

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void The_simulation_stays_in_its_own_async_flow()
    {
        using var dir = TempDirectory.Create("fs-flow");
        using var simulated = SimulatedShare.As(SimulatedShare.Smb);

        // A flow that did not start under the simulation (another test running in parallel) sees the real disk.
        var elsewhere = ExecutionContextless(() => Filix.Runtime.FileSystems.MountedFileSystem.Of(dir.Path));

        Assert.True(elsewhere.IsSafeForWal, elsewhere.Describe());
        Assert.Equal(FileSystemKind.Network, Filix.Runtime.FileSystems.MountedFileSystem.Of(dir.Path).Kind);
    }

    /// <summary>Runs <paramref name="body"/> on a new thread that does not inherit this flow's context (a pool thread
    /// could run it inline on this one).</summary>
    private static T ExecutionContextless<T>(Func<T> body)
    {
        var result = default(T);
        Thread thread;
        using (ExecutionContext.SuppressFlow())
        {
            thread = new Thread(() => result = body());
            thread.Start();
        }

        thread.Join();
        return result!;
    }

    private static void AssertExplains(string message, string path, string fileSystemName)
    {
        Assert.Contains($"'{path}'", message, StringComparison.Ordinal); // what
        Assert.Contains(fileSystemName, message, StringComparison.Ordinal); // where: the file system found
        Assert.Contains("https://www.sqlite.org/wal.html", message, StringComparison.Ordinal); // why, in SQLite's words
        Assert.Contains("WAL does not work over a network filesystem", message, StringComparison.Ordinal);
        Assert.Contains("https://www.sqlite.org/howtocorrupt.html", message, StringComparison.Ordinal);
        Assert.Contains("Nothing was created or changed", message, StringComparison.Ordinal);
        Assert.Contains("local disk", message, StringComparison.Ordinal); // what to do
        Assert.Contains("filix sync", message, StringComparison.Ordinal);
        Assert.Contains("UnsafeFileSystemMode.ExclusiveRollbackJournal", message, StringComparison.Ordinal);
        Assert.Contains("FILIX_UNSAFE_FILESYSTEM=exclusive-rollback-journal", message, StringComparison.Ordinal);
    }
}

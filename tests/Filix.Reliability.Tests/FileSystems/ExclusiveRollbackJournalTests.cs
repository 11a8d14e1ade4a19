using Filix.Domains.Contacts;
using Filix.Runtime;
using Filix.Runtime.FileSystems;
using Filix.Testing;
using Microsoft.Data.Sqlite;

namespace Filix.Reliability.Tests.FileSystems;

/// <summary>The override: on a share, the database runs in the rollback journal with its one connection holding the
/// file, and writes and reads work.</summary>
[Collection(FileSystemsCollection.Name)]
public sealed class ExclusiveRollbackJournalTests
{
    private static readonly FilixOptions Override = new()
    {
        UnsafeFileSystem = UnsafeFileSystemMode.ExclusiveRollbackJournal,

        // A lock this mode should not meet fails the test at once instead of waiting 30 s.
        BusyTimeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task On_a_share_the_override_opens_in_journal_mode_delete_holding_the_file_and_writes_and_reads_work()
    {
        using var dir = TempDirectory.Create("fs-override");
        var path = dir.File("contacts.db");
        var ids = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();

        using (SimulatedShare.As(SimulatedShare.Smb))
        {
            await using var db = await ContactsDatabase.OpenAsync(path, Override);

            // Concurrent writes (group commit still batches them) and reads of every kind.
            await Task.WhenAll(ids.Select((id, i) => db.Organizations.InsertAsync(new Organization { Id = id, Name = $"Org {i % 5}", Domain = $"org{i}.example" })));
            await db.Organizations.UpdateAsync(new Organization { Id = ids[0], Name = "Renamed", Domain = "org0.example" });

            Assert.Equal(ids.Length, await db.Organizations.CountAsync());
            Assert.Equal("Renamed", (await db.Organizations.GetAsync(ids[0]))?.Name);
            Assert.Equal(ids[1], (await db.Organizations.GetByDomainAsync("org1.example"))?.Id);
            Assert.Equal(10, (await db.Organizations.FindByNameAsync("Org 1")).Count);
            var scanned = new List<Guid>();
            await foreach (var row in db.Organizations.ScanAsync())
            {
                scanned.Add(row.Id);
            }

            Assert.Equal(ids.Order(), scanned.Order());

            var pragmas = await db.Database.ReadAsync(static (s, _) => (Journal: s.Scalar("PRAGMA journal_mode"), Locking: s.Scalar("PRAGMA locking_mode")), 0);
            Assert.Equal("delete", pragmas.Journal);
            Assert.Equal("exclusive", pragmas.Locking);
            Assert.False(db.Database.Options.ShareWriter);
            Assert.False(db.Database.Options.CrossProcessWriteLock);
            Assert.Null(db.Database.SharingProblem);

            // Nothing beside the database but its rollback journal (kept open, zeroed, between transactions in
            // exclusive mode): no -wal, no -shm to map over the network, no lock file, no socket.
            Assert.Equal(new[] { "contacts.db", "contacts.db-journal" }, Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            // One connection holds the file: no reader, and no checkpointer connection, which could not read a file
            // held exclusively and would sit in busy_timeout on every pass (and hold up the close) if it existed.
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(1, DescriptorsOpenOn(path));
            }

            // Single writer: the file is held; another connection (another process, another machine) cannot even read.
            var other = Assert.Throws<SqliteException>(() => CountFromOutside(path));
            Assert.Equal(5, other.SqliteErrorCode); // SQLITE_BUSY: "database is locked"
        }

        // Closed: the lock is gone, every write is in the file, and back on a local disk the database returns to WAL.
        Assert.Equal(ids.Length, CountFromOutside(path));
        await using var local = await ContactsDatabase.OpenAsync(path);
        Assert.Equal("wal", await local.Database.ReadAsync(static (s, _) => s.Scalar("PRAGMA journal_mode"), 0));
        Assert.Equal(ids.Length, await local.Organizations.CountAsync());
    }

    [Fact]
    public async Task A_wal_database_moved_onto_a_share_is_switched_to_the_rollback_journal_with_its_rows()
    {
        using var dir = TempDirectory.Create("fs-override-existing");
        var path = dir.File("contacts.db");
        var id = Guid.NewGuid();
        await using (var local = await ContactsDatabase.OpenAsync(path))
        {
            await local.Organizations.InsertAsync(new Organization { Id = id, Name = "Written locally" });
        }

        using (SimulatedShare.As(SimulatedShare.Smb))
        {
            await using var db = await ContactsDatabase.OpenAsync(path, Override);

            Assert.Equal("Written locally", (await db.Organizations.GetAsync(id))?.Name);
            Assert.Equal("delete", await db.Database.ReadAsync(static (s, _) => s.Scalar("PRAGMA journal_mode"), 0));
            Assert.False(File.Exists(path + "-wal"));
            Assert.False(File.Exists(path + "-shm"));
        }
    }

    [Fact]
    public async Task The_environment_variable_turns_the_override_on_for_code_that_cannot_set_the_option()
    {
        using var dir = TempDirectory.Create("fs-override-env");
        var path = dir.File("contacts.db");
        Environment.SetEnvironmentVariable(FileSystemGuard.EnvironmentVariable, "exclusive-rollback-journal");
        try
        {
            using (SimulatedShare.As(SimulatedShare.Smb))
            {
                await using var db = await ContactsDatabase.OpenAsync(path, FilixOptions.Default with { BusyTimeout = TimeSpan.FromSeconds(2) });
                await db.Organizations.InsertAsync(new Organization { Id = Guid.NewGuid(), Name = "Through the CLI's environment" });

                Assert.Equal(1, await db.Organizations.CountAsync());
                Assert.Equal("delete", await db.Database.ReadAsync(static (s, _) => s.Scalar("PRAGMA journal_mode"), 0));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(FileSystemGuard.EnvironmentVariable, null);
        }
    }

    [Fact]
    public async Task On_a_local_disk_the_override_changes_nothing()
    {
        using var dir = TempDirectory.Create("fs-override-local");
        await using var db = await ContactsDatabase.OpenAsync(dir.File("contacts.db"), Override);

        Assert.Equal("wal", await db.Database.ReadAsync(static (s, _) => s.Scalar("PRAGMA journal_mode"), 0));
        Assert.Equal("normal", await db.Database.ReadAsync(static (s, _) => s.Scalar("PRAGMA locking_mode"), 0));
        Assert.True(db.Database.Options.ShareWriter);
    }

    /// <summary>This process's file descriptors on <paramref name="path"/>: SQLite opens one per connection.</summary>
    private static int DescriptorsOpenOn(string path) =>
        new DirectoryInfo("/proc/self/fd").GetFiles().Count(fd =>
        {
            try
            {
                return fd.LinkTarget == path;
            }
            catch (IOException)
            {
                return false; // closed while we looked
            }
        });

    /// <summary>Counts the rows over a connection of its own. Microsoft.Data.Sqlite retries a busy statement until the
    /// command timeout (0 would mean for ever), so it gives up after a second.</summary>
    private static long CountFromOutside(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 1 }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM organizations";
        return (long)command.ExecuteScalar()!;
    }
}

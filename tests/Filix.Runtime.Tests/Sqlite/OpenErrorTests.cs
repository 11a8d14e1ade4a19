using Filix.Domains.Entities;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Tests.Sqlite;

/// <summary>Each way opening can go wrong: the message names the file and says what to do, and a file Filix did
/// not create is left exactly as it was.</summary>
public sealed class OpenErrorTests : IDisposable
{
    private readonly TempDirectory _folder = TempDirectory.Create("open");

    public void Dispose() => _folder.Dispose();

    private static async Task<FilixException> OpenFailsAsync(string path, FilixOptions? options = null)
    {
        var error = await Assert.ThrowsAsync<FilixException>(() => KitchenSinkDatabase.OpenAsync(path, options));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Path);
        return error;
    }

    /// <summary>The file's bytes, and that SQLite left no journal or WAL files beside it.</summary>
    private static void AssertUntouched(string path, byte[] before)
    {
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + "-wal"), "a -wal file was left beside the file");
        Assert.False(File.Exists(path + "-journal"), "a -journal file was left beside the file");
    }

    public static TheoryData<string, FilixOptions> InvalidOptions => new()
    {
        { "WriteQueueCapacity is 0", new FilixOptions { WriteQueueCapacity = 0 } },
        { "MaxBatchSize is -1", new FilixOptions { MaxBatchSize = -1 } },
        { "MaxReaders is 0", new FilixOptions { MaxReaders = 0 } },
        { "BusyTimeout is -00:00:01", new FilixOptions { BusyTimeout = TimeSpan.FromSeconds(-1) } },
        { "an infinite wait is not available", new FilixOptions { BusyTimeout = Timeout.InfiniteTimeSpan } },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task An_invalid_option_is_refused_by_name_before_any_file_is_created(string expected, FilixOptions options)
    {
        var path = _folder.File("kitchen_sink.db");

        var error = await OpenFailsAsync(path, options);

        Assert.Contains("Invalid FilixOptions", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_read_after_close_says_the_database_is_closed()
    {
        var path = _folder.File("kitchen_sink.db");
        var db = await KitchenSinkDatabase.OpenAsync(path);
        await db.DisposeAsync();

        var error = await Assert.ThrowsAsync<FilixException>(async () => await db.Things.CountAsync());

        Assert.Contains("is closed", error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public async Task A_failed_open_keeps_no_file_of_the_database_open()
    {
        // With the cross-process lock off, the shared writer's owner file is the last thing opening needs, after the
        // writer thread and its connections exist: a folder where that file goes makes opening fail there.
        var path = _folder.File("kitchen_sink.db");
        Directory.CreateDirectory(path + "-filix.owner");

        await Assert.ThrowsAsync<FilixException>(() => KitchenSinkDatabase.OpenAsync(path, new FilixOptions { CrossProcessWriteLock = false }));

        var open = Directory.GetFiles("/proc/self/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Where(target => target is not null && target.StartsWith(path, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(open);
    }

    [Fact]
    public async Task A_folder_instead_of_a_file_is_refused_with_the_file_name_to_use()
    {
        var error = await OpenFailsAsync(_folder.Path);

        Assert.Contains("is a folder", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_folder.Path, "kitchen_sink.db"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_folder_is_refused_and_not_created()
    {
        var missing = _folder.File("no/such/folder");
        var path = Path.Combine(missing, "kitchen_sink.db");

        var error = await OpenFailsAsync(path);

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("Create it first", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task A_missing_file_with_CreateIfMissing_false_is_refused_and_not_created()
    {
        var path = _folder.File("kitchen_sink.db");

        var error = await OpenFailsAsync(path, new FilixOptions { CreateIfMissing = false });

        Assert.Contains("CreateIfMissing", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_file_that_is_not_sqlite_is_refused_and_left_byte_for_byte_unchanged()
    {
        var path = _folder.File("kitchen_sink.db");
        var garbage = new byte[8192];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);

        var error = await OpenFailsAsync(path);

        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Contains("SQLite format 3", error.Message, StringComparison.Ordinal); // found by the health check, before SQLite opens it
        Assert.Contains("filix restore", error.Message, StringComparison.Ordinal);
        AssertUntouched(path, garbage);
    }

    [Fact]
    public async Task A_text_file_is_refused_and_left_unchanged()
    {
        var path = _folder.File("notes.db");
        File.WriteAllText(path, "these are my notes, not a database\n");
        var before = File.ReadAllBytes(path);

        await OpenFailsAsync(path);

        AssertUntouched(path, before);
    }

    [Fact]
    public async Task A_sqlite_database_that_filix_did_not_create_is_refused_and_left_untouched()
    {
        var path = _folder.File("kitchen_sink.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'Ann');";
            command.ExecuteNonQuery();
        }

        var before = File.ReadAllBytes(path);

        var error = await OpenFailsAsync(path);

        Assert.Contains("not a Filix one", error.Message, StringComparison.Ordinal);
        Assert.Contains("customers", error.Message, StringComparison.Ordinal);
        AssertUntouched(path, before);
    }

    [Fact]
    public async Task A_database_of_another_domain_is_refused_naming_both_domains()
    {
        var path = _folder.File("kitchen_sink.db");
        await (await EntitiesDatabase.OpenAsync(path)).DisposeAsync();
        var before = File.ReadAllBytes(path);

        var error = await OpenFailsAsync(path);

        Assert.Contains("'entities'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'kitchen_sink'", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task A_database_from_another_schema_version_is_refused_and_not_changed()
    {
        var path = _folder.File("kitchen_sink.db");
        await (await KitchenSinkDatabase.OpenAsync(path)).DisposeAsync();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE _filix_meta SET value = '0123456789abcdef' WHERE key = 'schema_hash'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var before = File.ReadAllBytes(path);

        var error = await OpenFailsAsync(path);

        Assert.Contains("0123456789abcdef", error.Message, StringComparison.Ordinal);
        Assert.Contains(KitchenSinkSchema.Hash, error.Message, StringComparison.Ordinal);
        Assert.Contains("recorded migrations", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task A_refused_open_releases_the_file_so_it_can_be_fixed_and_opened()
    {
        var path = _folder.File("kitchen_sink.db");
        File.WriteAllText(path, "garbage");
        await OpenFailsAsync(path);

        File.Delete(path);
        await using var db = await KitchenSinkDatabase.OpenAsync(path);

        Assert.Equal(0, await db.Things.CountAsync());
    }
}

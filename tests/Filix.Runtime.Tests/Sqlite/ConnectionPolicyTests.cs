namespace Filix.Runtime.Tests.Sqlite;

/// <summary>How the writer and the pooled readers are configured, read back from SQLite itself.</summary>
public sealed class ConnectionPolicyTests
{
    private static async Task<(Dictionary<string, object?> Writer, Dictionary<string, object?> Reader)> PragmasAsync(SinkFile file)
    {
        string[] names = ["journal_mode", "foreign_keys", "synchronous", "busy_timeout", "query_only"];
        var writer = await file.Db.Database.WriteAsync(static (session, names) => names.ToDictionary(n => n, n => session.Scalar($"PRAGMA {n}")), names);
        var reader = await file.Db.Database.ReadAsync(static (session, names) => names.ToDictionary(n => n, n => session.Scalar($"PRAGMA {n}")), names);
        return (writer, reader);
    }

    [Fact]
    public async Task Writer_and_readers_use_wal_foreign_keys_normal_sync_and_the_busy_timeout_by_default()
    {
        await using var file = await SinkFile.OpenAsync();

        var (writer, reader) = await PragmasAsync(file);

        foreach (var pragmas in new[] { writer, reader })
        {
            Assert.Equal("wal", pragmas["journal_mode"]);
            Assert.Equal(1L, pragmas["foreign_keys"]);
            Assert.Equal(1L, pragmas["synchronous"]); // NORMAL
            Assert.Equal(30_000L, pragmas["busy_timeout"]);
        }

        Assert.Equal(0L, writer["query_only"]);
        Assert.Equal(1L, reader["query_only"]);
    }

    [Fact]
    public async Task Synchronous_full_and_a_custom_busy_timeout_apply_to_every_connection()
    {
        await using var file = await SinkFile.OpenAsync(new FilixOptions { Synchronous = SynchronousMode.Full, BusyTimeout = TimeSpan.FromMilliseconds(1500) });

        var (writer, reader) = await PragmasAsync(file);

        Assert.Equal(2L, writer["synchronous"]); // FULL
        Assert.Equal(2L, reader["synchronous"]);
        Assert.Equal(1500L, writer["busy_timeout"]);
        Assert.Equal(1500L, reader["busy_timeout"]);
    }

    [Fact]
    public async Task Every_pooled_reader_is_query_only_so_a_raw_write_through_a_read_fails()
    {
        await using var file = await SinkFile.OpenAsync();

        // Hold several readers at once so the pool opens more than one connection, then try to write on each.
        var failures = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            await file.Db.Database.ReadAsync(static (session, _) =>
            {
                Thread.Sleep(50);
                return Record.Exception(() => session.Execute("INSERT INTO \"defaults\" (\"id\") VALUES (1)"));
            }, 0))));

        Assert.All(failures, error =>
        {
            var sqlite = Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(error);
            Assert.Equal(8, sqlite.SqliteErrorCode); // SQLITE_READONLY: "attempt to write a readonly database"
        });
        Assert.Equal(0, await file.Db.Defaults.CountAsync());
    }

    [Fact]
    public async Task A_foreign_key_violation_fails_with_a_clear_error_and_stores_nothing()
    {
        await using var file = await SinkFile.OpenAsync();

        var error = await Assert.ThrowsAsync<FilixException>(() => file.Db.Parts.InsertAsync(new Part { Id = 1, ThingId = Guid.NewGuid() }));

        Assert.Contains("foreign key", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await file.Db.Parts.CountAsync());
    }

    [Fact]
    public async Task Deleting_a_row_that_others_refer_to_fails_and_keeps_it()
    {
        await using var file = await SinkFile.OpenAsync();
        var thing = Samples.Thing(0);
        await file.Db.Things.InsertAsync(thing);
        await file.Db.Parts.InsertAsync(new Part { Id = 1, ThingId = thing.Id });

        await Assert.ThrowsAsync<FilixException>(() => file.Db.Things.DeleteAsync(thing.Id));

        Assert.NotNull(await file.Db.Things.GetAsync(thing.Id));
        Assert.Single(await file.Db.Parts.FindByThingIdAsync(thing.Id));
    }

    [Fact]
    public async Task A_failed_write_leaves_the_writer_usable()
    {
        await using var file = await SinkFile.OpenAsync();
        await file.Db.Things.InsertAsync(Samples.Thing(0));

        await Assert.ThrowsAsync<FilixException>(() => file.Db.Things.InsertAsync(Samples.Thing(0)));
        await file.Db.Things.InsertAsync(Samples.Thing(1));

        Assert.Equal(2, await file.Db.Things.CountAsync());
        Assert.Equal(0L, await file.WriteScalarAsync("SELECT count(*) FROM \"parts\""));
    }

    [Fact]
    public async Task A_write_blocked_by_another_open_for_longer_than_the_busy_timeout_fails_clearly_and_later_succeeds()
    {
        using var folder = TempDirectory.Create("busy");
        var path = folder.File(KitchenSinkDatabase.FileName);
        await using (await KitchenSinkDatabase.OpenAsync(path))
        {
        }

        await using var waiter = await KitchenSinkDatabase.OpenAsync(path, new FilixOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) });

        // Another tool (a sqlite3 shell, a backup) holds SQLite's write lock; Filix writers queue among
        // themselves on the lock file, but a foreign writer is only waited for up to busy_timeout.
        using var foreign = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        foreign.Open();
        using (var begin = foreign.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<FilixException>(() => waiter.Things.InsertAsync(Samples.Thing(0)));
        using (var rollback = foreign.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        Assert.Contains("BusyTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        await waiter.Things.InsertAsync(Samples.Thing(0));
        Assert.Equal(1, await waiter.Things.CountAsync());
    }
}

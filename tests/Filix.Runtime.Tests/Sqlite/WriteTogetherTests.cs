using Filix.Runtime.Tests.Cycles;

namespace Filix.Runtime.Tests.Sqlite;

/// <summary>
/// Rows that refer to each other, written through the repositories as one unit
/// (<see cref="FilixDatabase.WriteTogetherAsync(FilixStatement[])"/>) whose foreign keys are checked at its end.
/// SQLite checks keys at each statement, so written one by one such rows cannot be stored in any order.
/// </summary>
public sealed class WriteTogetherTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = TempDirectory.Create("units");
    private CyclesDatabase? _db;

    private CyclesDatabase Db => _db ?? throw new InvalidOperationException("Opened in InitializeAsync.");

    public async Task InitializeAsync() => _db = await CyclesDatabase.OpenInFolderAsync(_folder.Path);

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        _folder.Dispose();
    }

    private static Author Author(long id, long book) => new() { Id = id, Name = "author " + id, FavouriteBookId = book };

    private static Book Book(long id, long author) => new() { Id = id, Title = "book " + id, AuthorId = author };

    private static Employee Employee(long id, long manager) => new() { Id = id, Name = "employee " + id, ManagerId = manager };

    [Fact]
    public async Task Two_tables_that_reference_each_other_are_written_as_one_unit()
    {
        // One by one, whichever row comes first refers to a row not yet written; the error points to the unit.
        var alone = await Assert.ThrowsAsync<FilixException>(() => Db.Authors.InsertAsync(Author(1, 10)));
        Assert.Contains("WriteTogetherAsync", alone.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FilixException>(() => Db.Books.InsertAsync(Book(10, 1)));

        var changes = await Db.WriteTogetherAsync(Db.Authors.InsertStatement(Author(1, 10)), Db.Books.InsertStatement(Book(10, 1)));

        Assert.Equal([1, 1], changes);
        Assert.Equal(Author(1, 10), await Db.Authors.GetAsync(1));
        Assert.Equal(Book(10, 1), await Db.Books.GetAsync(10));

        // The cycle is removed as one unit too (each delete alone leaves the other row dangling), and changed as one.
        await Db.WriteTogetherAsync(
            Db.Books.InsertStatement(Book(11, 2)),
            Db.Authors.InsertStatement(Author(2, 11)),
            Db.Authors.UpdateStatement(Author(1, 11)),
            Db.Books.UpsertStatement(Book(10, 2)));
        Assert.Equal(11, (await Db.Authors.GetAsync(1))!.FavouriteBookId);
        await Assert.ThrowsAsync<FilixException>(() => Db.Books.DeleteAsync(11));
        var deleted = await Db.Database.WriteTogetherAsync(
            [Db.Authors.DeleteStatement(1), Db.Authors.DeleteStatement(2), Db.Books.DeleteStatement(10), Db.Books.DeleteStatement(11)],
            CancellationToken.None);
        Assert.Equal([1, 1, 1, 1], deleted);
        Assert.Equal(0, await Db.Authors.CountAsync());
        Assert.Equal(0, await Db.Books.CountAsync());
    }

    [Fact]
    public async Task A_self_reference_chain_is_written_child_first_as_one_unit()
    {
        // 3 reports to 2, 2 to 1, 1 to itself: row by row only the order 1, 2, 3 works.
        await Assert.ThrowsAsync<FilixException>(() => Db.Employees.InsertAsync(Employee(3, 2)));

        await Db.WriteTogetherAsync(
            Db.Employees.InsertStatement(Employee(3, 2)),
            Db.Employees.InsertStatement(Employee(2, 1)),
            Db.Employees.InsertStatement(Employee(1, 1)));

        Assert.Equal([3L, 2L, 1L], (await Db.Employees.ScanAsync().ToListAsync()).OrderByDescending(e => e.Id).Select(e => e.Id));
        Assert.Equal(2, (await Db.Employees.GetAsync(3))!.ManagerId);
    }

    [Fact]
    public async Task A_unit_that_leaves_a_dangling_reference_fails_alone_and_its_batch_mates_keep_immediate_checks()
    {
        await Db.Employees.InsertAsync(Employee(1, 1));

        // Hold the writer so that the writes below queue up and are committed together, in one batch.
        using var gate = new ManualResetEventSlim();
        var blocker = Db.Database.WriteAsync(static (_, gate) => gate.Wait(TimeSpan.FromSeconds(30)), gate);
        await Eventually(() => Db.Database.Writer.QueueDepth == 0);
        var batches = Db.Database.Writer.Batches;

        var before = Db.Employees.InsertAsync(Employee(2, 1));
        var unit = Db.WriteTogetherAsync(
            Db.Books.InsertStatement(Book(10, 5)),
            Db.Authors.InsertStatement(Author(5, 10)),
            Db.Employees.InsertStatement(Employee(7, 42)));
        var danglingAfter = Db.Employees.InsertAsync(Employee(8, 43));
        var after = Db.Employees.InsertAsync(Employee(9, 2));
        gate.Set();

        Assert.True(await blocker);
        await before;
        await after;
        var error = await Assert.ThrowsAsync<FilixException>(() => unit);
        Assert.Contains("'employees'", error.Message, StringComparison.Ordinal);
        Assert.Contains("(manager_id)", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing rows", error.Message, StringComparison.Ordinal);
        Assert.Contains("none of it was stored", error.Message, StringComparison.Ordinal);
        Assert.Equal(Db.Database.Path, error.Path);

        // The write after the unit was still checked at its statement (with the unit's deferral left on it would
        // have passed, and the batch's COMMIT would have failed every write in it).
        await Assert.ThrowsAsync<FilixException>(() => danglingAfter);
        Assert.Equal(batches + 2, Db.Database.Writer.Batches);

        Assert.Equal(0, await Db.Books.CountAsync());
        Assert.Equal(0, await Db.Authors.CountAsync());
        Assert.Null(await Db.Employees.GetAsync(7));
        Assert.Equal([1L, 2L, 9L], (await Db.Employees.ScanAsync().ToListAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task A_unit_whose_statement_fails_stores_nothing_and_later_writes_are_checked_at_once()
    {
        await Db.Employees.InsertAsync(Employee(1, 1));

        // The cycle is complete, but the last statement repeats a key: nothing of the unit is stored.
        var error = await Assert.ThrowsAsync<FilixException>(() => Db.WriteTogetherAsync(
            Db.Books.InsertStatement(Book(10, 5)),
            Db.Authors.InsertStatement(Author(5, 10)),
            Db.Employees.InsertStatement(Employee(1, 1))));
        Assert.Contains("primary key", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Db.Books.CountAsync());
        Assert.Equal(0, await Db.Authors.CountAsync());

        // A unit that deletes a row another table still refers to names that, and stores nothing.
        await Db.WriteTogetherAsync(Db.Books.InsertStatement(Book(10, 5)), Db.Authors.InsertStatement(Author(5, 10)));
        var orphaning = await Assert.ThrowsAsync<FilixException>(() => Db.WriteTogetherAsync(Db.Authors.DeleteStatement(5)));
        Assert.Contains("rows of other tables still refer to rows this unit deletes", orphaning.Message, StringComparison.Ordinal);
        Assert.NotNull(await Db.Authors.GetAsync(5));

        // Outside a unit, keys are checked at each statement again.
        await Assert.ThrowsAsync<FilixException>(() => Db.Employees.InsertAsync(Employee(2, 99)));
        Assert.Equal(1, await Db.Employees.CountAsync());
    }

    [Fact]
    public async Task A_process_that_sends_its_writes_to_another_commits_a_unit_with_its_own_writer()
    {
        // A second open of the file in this process is a second opener: it sends its statement writes to the first.
        await using var client = await CyclesDatabase.OpenAsync(Db.Database.Path);
        Assert.True(client.Database.Shared!.IsClient);

        await client.WriteTogetherAsync(client.Authors.InsertStatement(Author(1, 10)), client.Books.InsertStatement(Book(10, 1)));
        await client.Employees.InsertAsync(Employee(1, 1));

        // The unit ran on the client's own writer (under the cross-process write lock); the single write went to the owner.
        Assert.Equal(1, client.Database.Writer.Batches);
        Assert.Equal(Book(10, 1), await Db.Books.GetAsync(10));
        Assert.Equal(Author(1, 10), await Db.Authors.GetAsync(1));
        Assert.Equal(1, await Db.Employees.CountAsync());
    }

    [Fact]
    public async Task A_unit_never_clears_a_deferrable_key_a_batch_mate_left_unresolved()
    {
        // A table made by hand whose key is DEFERRABLE (Filix's own SQLite keys are immediate): SQLite checks it at
        // COMMIT. Turning the unit's deferral off clears SQLite's deferred counts, which once let this batch commit
        // the batch-mate's dangling row.
        await Db.Database.WriteAsync(static (session, _) => session.Execute(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, employee_id INTEGER NOT NULL REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED)"), 0);

        using var gate = new ManualResetEventSlim();
        var blocker = Db.Database.WriteAsync(static (_, gate) => gate.Wait(TimeSpan.FromSeconds(30)), gate);
        await Eventually(() => Db.Database.Writer.QueueDepth == 0);
        var mate = Db.Database.ExecuteAsync("INSERT INTO notes (id, employee_id) VALUES ($p0, $p1)", 2, [1L, 404L]);
        var unit = Db.WriteTogetherAsync(Db.Employees.InsertStatement(Employee(2, 1)), Db.Employees.InsertStatement(Employee(1, 1)));
        gate.Set();
        await blocker;

        // The batch's COMMIT fails for the batch-mate's key, and with it every write of the batch.
        var mateError = await Assert.ThrowsAsync<FilixException>(() => mate);
        Assert.Contains("Committing a batch", mateError.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FilixException>(() => unit);
        Assert.Equal(0L, await Db.Database.ReadAsync(static (session, _) => (long)session.Scalar("SELECT count(*) FROM notes")!, 0));
        Assert.Equal(0, await Db.Employees.CountAsync());
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "The condition did not hold within 30 seconds.");
            await Task.Delay(5);
        }
    }
}

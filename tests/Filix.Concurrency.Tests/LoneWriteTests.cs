using Filix.Concurrency.Worker;
using Filix.Runtime;

namespace Filix.Concurrency.Tests;

/// <summary>
/// A local write alone in its transaction runs without a savepoint (Writer.RunAlone: cheaper for writes of many
/// statements on tables with triggers); when it fails, the writer rolls back the whole transaction instead. What the
/// caller and the file see must be exactly what the savepoint gave: nothing of a failed write, the next write fine.
/// </summary>
public sealed class LoneWriteTests
{
    private static TestSchema.Row Row(string id) => new(id, "p", 0, 0);

    [Fact]
    public async Task A_lone_write_that_fails_after_its_first_statement_stores_nothing_and_the_next_write_commits()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();
        Assert.True(await db.WriteAsync(TestSchema.Write, Row("taken")));
        var batches = db.Writer.Batches;

        // Alone in its batch (awaited one at a time): its log row is inserted, then its key collides.
        await Assert.ThrowsAnyAsync<Exception>(() => db.WriteAsync(TestSchema.Write, Row("taken")));
        Assert.Equal(1L, temp.LogCounts()["taken"]);

        Assert.True(await db.WriteAsync(TestSchema.Write, Row("next")));
        Assert.Equal(new Dictionary<string, long> { ["taken"] = 1, ["next"] = 1 }, temp.LogCounts());
        Assert.Equal(batches + 1, db.Writer.Batches); // the failed one committed nothing
    }

    [Fact]
    public async Task A_lone_write_whose_error_it_caught_itself_keeps_what_it_wrote_as_with_a_savepoint()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();
        Assert.True(await db.WriteAsync(TestSchema.Write, Row("taken")));

        // SQLite undoes just the failing statement; the delegate goes on and its other rows commit.
        var kept = await db.WriteAsync(static (session, _) =>
        {
            TestSchema.Write(session, Row("mine"));
            try
            {
                TestSchema.Write(session, Row("taken"));
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                return true;
            }

            return false;
        }, 0);
        Assert.True(kept);
        Assert.Equal(new Dictionary<string, long> { ["taken"] = 2, ["mine"] = 1 }, temp.LogCounts());
        Assert.Equal(["mine", "taken"], temp.LogCounts("keys").Keys.Order());
    }

    [Fact]
    public async Task A_lone_write_that_rolls_back_the_transaction_itself_is_told_so_and_nothing_of_it_is_stored()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.WriteAsync(static (session, _) =>
        {
            TestSchema.Write(session, Row("rolled"));
            session.Execute("ROLLBACK"); // no error from SQLite: only the writer can notice
            return true;
        }, 0));
        Assert.Contains("must not run COMMIT, ROLLBACK or BEGIN", error.Message);
        Assert.Empty(temp.LogCounts());

        Assert.True(await db.WriteAsync(TestSchema.Write, Row("after")));
        Assert.Equal(["after"], temp.LogCounts().Keys);
    }
}

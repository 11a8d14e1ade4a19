namespace Filix.Runtime.Tests.Sqlite;

/// <summary><see cref="FilixDatabase.ExecuteAsync"/>, the write as data that generated repositories use, called directly.</summary>
public sealed class ExecuteTests : SinkTests
{
    private const string InsertOrder = "INSERT INTO \"order\" (\"customer\", \"group\", \"line\", \"select\") VALUES ($p0, $p1, $p2, $p3)";

    [Fact]
    public async Task Values_that_are_not_whole_rows_fail_at_the_call_naming_the_statement_and_store_nothing()
    {
        // Thrown by the call itself (an Action, not a task), before anything is queued.
        var error = Assert.Throws<ArgumentException>(() => { _ = Db.Database.ExecuteAsync(InsertOrder, 4, ["a", 1L, 1L, null, "b"]); });

        Assert.Equal("values", error.ParamName);
        Assert.Contains("5 values", error.Message, StringComparison.Ordinal);
        Assert.Contains(InsertOrder, error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => { _ = Db.Database.ExecuteAsync("DELETE FROM \"order\"", 0, ["a"]); });
        Assert.Equal(0, await Db.Order.CountAsync());
    }

    [Fact]
    public async Task A_multi_row_write_returns_the_rows_changed_summed_over_its_rows()
    {
        object?[] values = ["a", 1L, 1L, "x", "a", 1L, 2L, null, "b", 2L, 1L, DBNull.Value];

        Assert.Equal(3, await Db.Database.ExecuteAsync(InsertOrder, 4, values));
        Assert.Equal(2, await Db.Database.ExecuteAsync("UPDATE \"order\" SET \"select\" = 'y' WHERE \"customer\" = $p0", 1, ["a", "c"]));
        Assert.Equal(3, await Db.Database.ExecuteAsync("DELETE FROM \"order\"", 0, []));

        Assert.Equal(0, await Db.Order.CountAsync());
    }

    [Fact]
    public async Task A_multi_row_write_with_no_rows_changes_nothing_and_returns_zero()
    {
        Assert.Equal(0, await Db.Database.ExecuteAsync(InsertOrder, 4, []));
        Assert.Equal(0, await Db.Order.CountAsync());
    }

    [Fact]
    public async Task A_row_that_violates_a_constraint_fails_the_write_and_none_of_its_rows_is_stored()
    {
        // The third row repeats the first one's key.
        object?[] values = ["a", 1L, 1L, null, "a", 1L, 2L, null, "a", 1L, 1L, null];

        var error = await Assert.ThrowsAsync<FilixException>(() => Db.Database.ExecuteAsync(InsertOrder, 4, values));

        Assert.Contains("order", error.Message, StringComparison.Ordinal);
        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(error.InnerException);
        Assert.Equal(0, await Db.Order.CountAsync());

        // The writer goes on: the same rows without the duplicate are stored.
        Assert.Equal(2, await Db.Database.ExecuteAsync(InsertOrder, 4, values[..8]));
        Assert.Equal(2, await Db.Order.CountAsync());
    }
}

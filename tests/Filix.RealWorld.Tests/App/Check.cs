using System.Text.Json;

namespace RealWorld;

/// <summary>Checks that fail the run with what differs. Rows are compared by their JSON form, so byte arrays compare
/// by content and a difference shows every column.</summary>
internal static class Check
{
    public static string Show<T>(T value) => JsonSerializer.Serialize(value);

    public static void True(bool condition, string what)
    {
        if (!condition)
        {
            throw new CheckFailedException(what);
        }
    }

    public static void Equal<T>(T expected, T? actual, string what)
    {
        var (e, a) = (Show(expected), Show(actual));
        if (e != a)
        {
            throw new CheckFailedException($"{what}:\n  expected {e}\n  actual   {a}");
        }
    }

    /// <summary>The rows, in key order (sample keys sort the same in SQLite and Postgres).</summary>
    public static async Task RowsAsync<T>(string table, IEnumerable<T> expected, IAsyncEnumerable<T> actual)
    {
        var rows = new List<T>();
        await foreach (var row in actual)
        {
            rows.Add(row);
        }

        Rows(table, expected, rows);
    }

    public static void Rows<T>(string table, IEnumerable<T> expected, IEnumerable<T> actual) =>
        Equal(expected.Select(Show).ToList(), actual.Select(Show).ToList(), $"rows of {table}");

    /// <summary>The action is refused; returns the refusal, for its message.</summary>
    public static async Task<Exception> ThrowsAsync(Func<Task> action, string what)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not CheckFailedException)
        {
            return ex;
        }

        throw new CheckFailedException($"{what}: expected a refusal, but it succeeded");
    }
}

internal sealed class CheckFailedException(string message) : Exception(message);

namespace Filix.Runtime.Repositories;

/// <summary>
/// The write bodies every generated repository shares. A repository passes its SQL constant, its column count and
/// its <c>Fill</c> (the stored forms of one row's columns); the writes themselves are data
/// (<see cref="FilixDatabase.ExecuteAsync(string, int, object?[], CancellationToken)"/>), so they can go to another
/// process's writer.
/// </summary>
public static class TableWrites
{
    /// <summary>The stored forms of one row's <paramref name="columnCount"/> columns, the parameters of a row statement.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="row"/> is null (thrown at the caller's call).</exception>
    public static object?[] Values<TRow>(TRow row, int columnCount, Action<object?[], int, TRow> fill)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(row);
        var values = new object?[columnCount];
        fill(values, 0, row);
        return values;
    }

    /// <summary>Runs <paramref name="sql"/> once per row of <paramref name="rows"/> as one write: all rows are
    /// stored, or none. Returns the number of rows the statement changed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> or one of its rows is null (thrown at the call;
    /// nothing was written).</exception>
    public static Task<int> ManyAsync<TRow>(FilixDatabase database, string sql, int columnCount, IEnumerable<TRow> rows, Action<object?[], int, TRow> fill, CancellationToken cancellationToken)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(rows);

        // Materialise first: the count sizes the values, and the caller's sequence is enumerated once.
        var batch = rows as IReadOnlyCollection<TRow> ?? rows.ToList();
        var values = new object?[batch.Count * columnCount];
        var offset = 0;
        foreach (var row in batch)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(rows));
            fill(values, offset, row);
            offset += columnCount;
        }

        return database.ExecuteAsync(sql, columnCount, values, cancellationToken);
    }

    /// <summary>Whether a write by key changed its row (Update, Delete). A helper rather than async repository
    /// methods, so their argument checks still throw at the call.</summary>
    public static async Task<bool> ChangedOneAsync(Task<int> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return await changes.ConfigureAwait(false) == 1;
    }
}

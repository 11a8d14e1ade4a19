using Filix.Runtime.Writing;

namespace Filix.Runtime;

public sealed partial class FilixDatabase
{
    /// <summary>
    /// Writes <paramref name="statements"/> as one unit: all of them are stored, or none, and their foreign keys are
    /// checked at the unit's end rather than at each statement. Rows that refer to each other (two tables
    /// referencing each other, or a chain within one table) can be written this way, which statement by statement
    /// they cannot: whichever comes first refers to a row not yet written. A unit that would leave a row referring to
    /// a missing row fails alone with a <see cref="FilixException"/> naming the rows; the writes batched with it
    /// are not affected.
    /// </summary>
    /// <example><code>
    /// await db.WriteTogetherAsync(db.Authors.InsertStatement(author), db.Books.InsertStatement(book));
    /// </code></example>
    /// <returns>The rows each statement changed, in order.</returns>
    public Task<int[]> WriteTogetherAsync(params FilixStatement[] statements) => WriteTogetherAsync(statements, CancellationToken.None);

    /// <inheritdoc cref="WriteTogetherAsync(FilixStatement[])"/>
    /// <param name="statements">The unit's statements, run in this order.</param>
    /// <param name="cancellationToken">Cancels the unit while it is still queued.</param>
    /// <remarks>
    /// A unit runs on this process's own writer, in one savepoint of its group-commit batch. When another process
    /// owns the database's shared writer (see docs/concurrency.md) the unit is not sent there: this process's writer
    /// takes the cross-process write lock for it, which is as safe and costs a lock handoff.
    /// </remarks>
    public Task<int[]> WriteTogetherAsync(IEnumerable<FilixStatement> statements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var unit = statements.ToArray();
        for (var i = 0; i < unit.Length; i++)
        {
            if (unit[i] is null)
            {
                throw new ArgumentNullException(nameof(statements), $"Statement {i} of the unit is null.");
            }
        }

        if (unit.Length == 0)
        {
            return Task.FromResult(Array.Empty<int>());
        }

        return WriteAsync(static (session, unit) => unit.Execute(session), new WriteUnit(unit, Path), cancellationToken);
    }
}

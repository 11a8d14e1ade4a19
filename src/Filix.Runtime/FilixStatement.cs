using Filix.Runtime.Writing;

namespace Filix.Runtime;

/// <summary>
/// One write of one table as data: a statement and the stored values of its rows. Generated repositories make
/// them (<c>InsertStatement</c>, <c>UpsertStatement</c>, <c>UpdateStatement</c>, <c>DeleteStatement</c>) so that
/// several can be written as one unit whose foreign keys are checked at its end
/// (<see cref="FilixDatabase.WriteTogetherAsync(FilixStatement[])"/>): rows that refer to each other.
/// </summary>
public sealed class FilixStatement
{
    /// <param name="table">The table the statement writes, named in errors.</param>
    /// <param name="sql">One statement with positional parameters <c>$p0</c>.. (<see cref="Sqlite.SqliteSession.Command"/>).</param>
    /// <param name="parameterCount">Parameters per row; 0 runs <paramref name="sql"/> once with no values.</param>
    /// <param name="values">Row after row, in stored forms only (<see cref="Sqlite.SqliteValues"/>).</param>
    /// <exception cref="ArgumentException">The values do not make whole rows, or one is not a stored form.</exception>
    public FilixStatement(string table, string sql, int parameterCount, object?[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        StatementWrite.Validate(sql, parameterCount, values);
        Table = table;
        Write = new StatementWrite(sql, parameterCount, values);
    }

    /// <summary>The table the statement writes.</summary>
    public string Table { get; }

    /// <summary>The statement's SQL.</summary>
    public string Sql => Write.Sql;

    /// <summary>Parameters per row.</summary>
    public int ParameterCount => Write.ParameterCount;

    internal StatementWrite Write { get; }
}

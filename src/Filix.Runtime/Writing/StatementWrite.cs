using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Writing;

/// <summary>
/// A write expressed as data: one SQL statement and the stored forms of its parameters for one or more rows.
/// Unlike a delegate it can cross a process boundary, so a process that does not own the database's writer
/// sends it to the one that does (see <c>Sharing/</c>). Generated repositories write only this way.
/// </summary>
/// <param name="Sql">The statement, with positional parameters <c>$p0</c>.. (<see cref="SqliteSession.Command"/>).</param>
/// <param name="ParameterCount">Parameters per row.</param>
/// <param name="Values">Row after row, <paramref name="ParameterCount"/> values each, in their stored forms:
/// <see langword="null"/> or <see cref="DBNull"/>, <see cref="long"/>, <see cref="double"/>, <see cref="string"/>
/// or <see cref="byte"/>[] (<see cref="SqliteValues"/> makes them).</param>
internal sealed record StatementWrite(string Sql, int ParameterCount, object?[] Values)
{
    /// <summary>Runs the statement once per row on <paramref name="session"/>; returns the rows it changed.</summary>
    public int Execute(SqliteSession session)
    {
        var command = session.Command(Sql, ParameterCount);
        if (ParameterCount == 0)
        {
            return command.ExecuteNonQuery();
        }

        var changes = 0;
        for (var offset = 0; offset < Values.Length; offset += ParameterCount)
        {
            SqliteValues.Bind(command, Values, offset);
            changes += command.ExecuteNonQuery();
        }

        return changes;
    }

    /// <summary>Checks the shape before the write is queued, so a caller's mistake fails at its call.</summary>
    public static void Validate(string sql, int parameterCount, object?[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(sql);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        if (parameterCount == 0 ? values.Length != 0 : values.Length % parameterCount != 0)
        {
            throw new ArgumentException(
                $"{values.Length} values do not make whole rows of {parameterCount} parameters for: {sql}", nameof(values));
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not (null or DBNull or long or double or string or byte[]))
            {
                throw new ArgumentException(
                    $"Value {i} is a {values[i]!.GetType()}, which is not a stored form (null, long, double, string or byte[]; SqliteValues converts the others). Statement: {sql}",
                    nameof(values));
            }
        }
    }
}

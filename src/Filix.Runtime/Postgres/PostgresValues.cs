namespace Filix.Runtime.Postgres;

/// <summary>Values as Npgsql expects them, used by generated upstream adapters.</summary>
public static class PostgresValues
{
    /// <summary>timestamptz takes only UTC <see cref="DateTimeOffset"/>s, to the microsecond (<see cref="FilixTimestamp"/>).</summary>
    public static object Timestamp(DateTimeOffset value) => FilixTimestamp.Truncate(value);

    public static object Timestamp(DateTimeOffset? value) => value is { } v ? FilixTimestamp.Truncate(v) : DBNull.Value;

    public static object Value(object? value) => value ?? DBNull.Value;
}

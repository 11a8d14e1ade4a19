namespace Filix.Runtime.Postgres;

/// <summary>Values as Npgsql expects them, used by generated upstream adapters.</summary>
public static class PostgresValues
{
    /// <summary>timestamptz takes only UTC <see cref="DateTimeOffset"/>s; the instant is unchanged.</summary>
    public static object Timestamp(DateTimeOffset value) => value.ToUniversalTime();

    public static object Timestamp(DateTimeOffset? value) => value is { } v ? v.ToUniversalTime() : DBNull.Value;

    public static object Value(object? value) => value ?? DBNull.Value;
}

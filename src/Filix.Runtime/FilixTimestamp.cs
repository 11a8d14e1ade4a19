namespace Filix.Runtime;

/// <summary>
/// The precision of Filix's <c>timestamp</c> type: one microsecond, as Postgres's <c>timestamptz</c>.
/// </summary>
/// <remarks>
/// .NET keeps 100 ns ticks; Postgres keeps microseconds. If SQLite kept ticks, a row that crossed the upstream would
/// come back on another machine a few ticks different from the original, and replicas of the same row would
/// disagree. So every timestamp is truncated to the microsecond when it is written (SQLite and Postgres alike), and
/// generated records default to <see cref="UtcNow"/>, so a record reads back equal to the one written.
/// </remarks>
public static class FilixTimestamp
{
    private const long TicksPerMicrosecond = 10;

    /// <summary>The current UTC time, truncated to the microsecond.</summary>
    public static DateTimeOffset UtcNow => Truncate(DateTimeOffset.UtcNow);

    /// <summary><paramref name="value"/> as UTC, truncated to the microsecond (the same instant, less its sub-microsecond ticks).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TicksPerMicrosecond), TimeSpan.Zero);
    }
}

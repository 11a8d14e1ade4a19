using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sqlite;

/// <summary>
/// The stored forms of the portable types SQLite has no native type for, used by generated readers and binders.
/// Timestamps are UTC ISO-8601 with exactly 7 fractional digits (<c>2024-01-31T12:00:00.0000000Z</c>): fixed
/// width, so text order is time order. Values are truncated to the microsecond first (<see cref="FilixTimestamp"/>),
/// so the seventh digit is always 0 and a value reads back exactly as Postgres would return it.
/// </summary>
public static class SqliteValues
{
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    public const string DateFormat = "yyyy-MM-dd";

    private static readonly object True = 1L;
    private static readonly object False = 0L;

    public static object Boolean(bool value) => value ? True : False;

    public static object Boolean(bool? value) => value is { } v ? Boolean(v) : DBNull.Value;

    public static bool ReadBoolean(SqliteDataReader reader, int ordinal) => reader.GetInt64(ordinal) != 0;

    /// <summary>The stored form of <paramref name="value"/>. For a UTC <see cref="DateTime"/> the round-trip format
    /// "O" is exactly <see cref="TimestampFormat"/>, and .NET formats it on a fast path (a custom pattern is
    /// interpreted character by character, several times slower).</summary>
    public static object Timestamp(DateTimeOffset value) =>
        FilixTimestamp.Truncate(value).UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static object Timestamp(DateTimeOffset? value) => value is { } v ? Timestamp(v) : DBNull.Value;

    public static DateTimeOffset ReadTimestamp(SqliteDataReader reader, int ordinal) => ParseTimestamp(reader.GetString(ordinal));

    /// <summary>Parses the canonical form without culture machinery; anything else (text written by other tools)
    /// falls back to the general ISO-8601 parser, read as UTC when it carries no offset.</summary>
    public static DateTimeOffset ParseTimestamp(string text)
    {
        if (text.Length == 28 && text[4] == '-' && text[10] == 'T' && text[19] == '.' && text[27] == 'Z'
            && TryDigits(text, 0, 4, out var year) && TryDigits(text, 5, 2, out var month) && TryDigits(text, 8, 2, out var day)
            && TryDigits(text, 11, 2, out var hour) && TryDigits(text, 14, 2, out var minute) && TryDigits(text, 17, 2, out var second)
            && TryDigits(text, 20, 7, out var ticks))
        {
            var dateTime = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks);
            return new DateTimeOffset(dateTime);
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    /// <summary>The stored form <see cref="DateFormat"/>, which is <see cref="DateOnly"/>'s round-trip format "O".</summary>
    public static object Date(DateOnly value) => value.ToString("O", CultureInfo.InvariantCulture);

    public static object Date(DateOnly? value) => value is { } v ? Date(v) : DBNull.Value;

    public static DateOnly ReadDate(SqliteDataReader reader, int ordinal) => ParseDate(reader.GetString(ordinal));

    /// <summary>Parses <c>yyyy-MM-dd</c> without culture machinery; anything else goes to the general parser.</summary>
    public static DateOnly ParseDate(string text) =>
        text.Length == 10 && text[4] == '-' && text[7] == '-'
        && TryDigits(text, 0, 4, out var y) && TryDigits(text, 5, 2, out var m) && TryDigits(text, 8, 2, out var d)
            ? new DateOnly(y, m, d)
            : DateOnly.Parse(text, CultureInfo.InvariantCulture);

    public static object Uuid(Guid value) => value.ToString("D");

    public static object Uuid(Guid? value) => value is { } v ? Uuid(v) : DBNull.Value;

    public static Guid ReadUuid(SqliteDataReader reader, int ordinal) => Guid.Parse(reader.GetString(ordinal));

    public static byte[] ReadBlob(SqliteDataReader reader, int ordinal) => (byte[])reader.GetValue(ordinal);

    /// <summary>A reference-typed value or <see cref="DBNull"/> (ADO.NET's null).</summary>
    public static object Value(object? value) => value ?? DBNull.Value;

    private static bool TryDigits(string text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    /// <summary>Sets the command's positional parameters from <paramref name="values"/>, starting at <paramref name="offset"/>
    /// (one row of a <c>StatementWrite</c>).</summary>
    public static void Bind(SqliteCommand command, object?[] values, int offset)
    {
        var parameters = command.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            parameters[i].Value = values[offset + i] ?? DBNull.Value;
        }
    }
}

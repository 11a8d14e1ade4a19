using System.Globalization;
using Filix.Runtime.Sqlite;

namespace Filix.ReadPath.Tests;

/// <summary>The fast formats and parsers must produce and accept exactly the documented stored forms.</summary>
public sealed class StoredFormTests
{
    public static TheoryData<DateTimeOffset> Timestamps() =>
    [
        new DateTimeOffset(2024, 1, 31, 12, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(5.5)).AddTicks(1234560),
        new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9999990),
        new DateTimeOffset(1969, 7, 20, 20, 17, 40, TimeSpan.FromHours(-7)),
    ];

    [Theory]
    [MemberData(nameof(Timestamps))]
    public void Timestamp_is_the_fixed_width_utc_form_and_reads_back_to_the_same_instant(DateTimeOffset value)
    {
        var stored = (string)SqliteValues.Timestamp(value);

        Assert.Equal(value.UtcDateTime.ToString(SqliteValues.TimestampFormat, CultureInfo.InvariantCulture), stored);
        Assert.Equal(28, stored.Length);
        var read = SqliteValues.ParseTimestamp(stored);
        Assert.Equal(value.UtcTicks, read.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.Offset);
    }

    [Fact]
    public void Timestamp_is_truncated_to_the_microsecond()
    {
        var value = new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(5.5)).AddTicks(1234567);

        Assert.Equal("2024-02-29T18:29:59.1234560Z", (string)SqliteValues.Timestamp(value));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2024, 2, 29)]
    [InlineData(9999, 12, 31)]
    public void Date_is_yyyy_MM_dd_and_reads_back(int year, int month, int day)
    {
        var value = new DateOnly(year, month, day);
        var stored = (string)SqliteValues.Date(value);

        Assert.Equal(value.ToString(SqliteValues.DateFormat, CultureInfo.InvariantCulture), stored);
        Assert.Equal(value, SqliteValues.ParseDate(stored));
    }

    [Fact]
    public void ParseDate_does_not_take_other_separators_for_the_canonical_form()
    {
        Assert.Throws<FormatException>(() => SqliteValues.ParseDate("2024x01x05"));
    }

    [Fact]
    public void ParseTimestamp_reads_text_written_by_other_tools_as_utc()
    {
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero), SqliteValues.ParseTimestamp("2024-03-01 10:00:00"));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero), SqliteValues.ParseTimestamp("2024-03-01T10:00:00+02:00"));
    }
}

namespace Filix.Runtime.Tests.Sqlite;

/// <summary>Every portable type reads back exactly as written, through a real file.</summary>
public sealed class RoundTripTests : SinkTests
{
    private async Task<Thing> RoundTripAsync(Thing row)
    {
        await Db.Things.InsertAsync(row);
        var read = await Db.Things.GetAsync(row.Id);
        Samples.AssertSame(row, read);
        return read!;
    }

    /// <summary>Writes and reads back without comparing: for values the type stores less precisely than given.</summary>
    private async Task<Thing> RoundTripRawAsync(Thing row)
    {
        await Db.Things.InsertAsync(row);
        return (await Db.Things.GetAsync(row.Id))!;
    }

    private static Thing Base(int i) => Samples.Thing(i);

    [Fact]
    public async Task A_row_with_every_column_set_and_one_with_every_nullable_column_null_round_trip()
    {
        await RoundTripAsync(Base(0));
        var empty = await RoundTripAsync(Base(1));

        Assert.Null(empty.TextNull);
        Assert.Null(empty.IntegerNull);
        Assert.Null(empty.RealNull);
        Assert.Null(empty.BooleanNull);
        Assert.Null(empty.BlobNull);
        Assert.Null(empty.TimestampNull);
        Assert.Null(empty.DateNull);
        Assert.Null(empty.JsonNull);
        Assert.Null(empty.UuidNull);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-5)]
    [InlineData(-11.5)]
    [InlineData(14)]
    public async Task Timestamps_keep_the_instant_to_the_microsecond_from_any_offset_and_read_back_as_utc(double offsetHours)
    {
        var offset = TimeSpan.FromHours(offsetHours);
        var written = new DateTimeOffset(2024, 3, 10, 2, 30, 15, offset).AddTicks(1234560);

        var read = await RoundTripAsync(Base(0) with { TimestampValue = written, TimestampNull = written.AddTicks(10) });

        Assert.Equal(written.UtcTicks, read.TimestampValue.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.TimestampValue.Offset);
        Assert.Equal(written.UtcTicks + 10, read.TimestampNull!.Value.UtcTicks);
    }

    [Fact]
    public async Task Timestamps_are_truncated_to_the_microsecond_as_postgres_stores_them()
    {
        var written = new DateTimeOffset(2024, 3, 10, 2, 30, 15, TimeSpan.FromHours(2)).AddTicks(1234567);

        var read = await RoundTripRawAsync(Base(0) with { TimestampValue = written });

        Assert.Equal(written.UtcTicks - 7, read.TimestampValue.UtcTicks);
        Assert.Equal(FilixTimestamp.Truncate(written), read.TimestampValue);
    }

    [Fact]
    public async Task Extreme_timestamps_and_dates_round_trip()
    {
        var earliest = new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var latest = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990);

        await RoundTripAsync(Base(0) with { TimestampValue = earliest, TimestampNull = latest, DateValue = DateOnly.MinValue, DateNull = DateOnly.MaxValue });
        await RoundTripAsync(Base(2) with { DateValue = new DateOnly(2024, 2, 29), DateNull = new DateOnly(1970, 1, 1) });
    }

    [Fact]
    public async Task Integers_keep_their_full_64_bit_range()
    {
        await RoundTripAsync(Base(0) with { IntegerValue = long.MinValue, IntegerNull = long.MaxValue });
        await RoundTripAsync(Base(2) with { IntegerValue = 0, IntegerNull = -1 });
    }

    [Theory]
    [InlineData(-0.1, 1e308)]
    [InlineData(-1.7976931348623157e308, 4.9e-324)]
    [InlineData(3.141592653589793, -2.2250738585072014e-308)]
    [InlineData(123456789012345.67, 0.1)]
    public async Task Reals_read_back_bit_for_bit(double value, double other)
    {
        var read = await RoundTripAsync(Base(0) with { RealValue = value, RealNull = other });

        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(read.RealValue));
        Assert.Equal(BitConverter.DoubleToInt64Bits(other), BitConverter.DoubleToInt64Bits(read.RealNull!.Value));
    }

    [Fact]
    public async Task Booleans_round_trip_both_values_and_null()
    {
        await RoundTripAsync(Base(0) with { BooleanValue = true, BooleanNull = false });
        await RoundTripAsync(Base(2) with { BooleanValue = false, BooleanNull = true });
        await RoundTripAsync(Base(4) with { BooleanValue = true, BooleanNull = null });
    }

    [Fact]
    public async Task Blobs_round_trip_empty_every_byte_value_and_large()
    {
        var everyByte = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var large = new byte[1 << 20];
        new Random(42).NextBytes(large);

        var read = await RoundTripAsync(Base(0) with { BlobValue = [], BlobNull = [] });
        Assert.NotNull(read.BlobNull);
        Assert.Empty(read.BlobNull);
        await RoundTripAsync(Base(2) with { BlobValue = everyByte, BlobNull = large });
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain ascii")]
    [InlineData("Grüße, Ελληνικά, Русский, 日本語, עברית, العربية")]
    [InlineData("emoji 👩‍👩‍👧 and a flag 🇳🇿, combining e\u0301")]
    [InlineData("quotes ' \" ` and backslash \\ and newline\n\ttab")]
    [InlineData("\uFEFF byte order mark and \u200B zero width")]
    public async Task Text_round_trips_unicode_exactly(string text)
    {
        await RoundTripAsync(Base(0) with { TextValue = text, TextNull = text });
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"a string\"")]
    [InlineData("{\"nested\": {\"list\": [1, 2.5, true, null, \"ü\"]}, \"spaced\" :  1 }")]
    public async Task Json_is_stored_as_the_exact_text_given(string json)
    {
        await RoundTripAsync(Base(0) with { JsonValue = json, JsonNull = json });
    }

    [Fact]
    public async Task Uuids_round_trip_including_empty_and_max()
    {
        await RoundTripAsync(Base(0) with { UuidValue = Guid.Empty, UuidNull = Guid.AllBitsSet });
        await RoundTripAsync(Base(2) with { UuidValue = Guid.NewGuid(), UuidNull = Guid.CreateVersion7() });
    }

    [Fact]
    public async Task Record_defaults_fill_in_now_today_and_literals()
    {
        var before = DateTimeOffset.UtcNow;
        var row = new Defaulted { Id = 1 };
        var after = DateTimeOffset.UtcNow;

        await Db.Defaults.InsertAsync(row);
        var read = await Db.Defaults.GetAsync(1);

        Assert.Equal(row, read);
        Assert.InRange(read!.CreatedAt, before, after);
        Assert.Equal(DateOnly.FromDateTime(before.UtcDateTime), read.CreatedOn);
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 12, 0, 0, TimeSpan.Zero), read.FixedAt);
        Assert.Equal(new DateOnly(2024, 2, 29), read.FixedOn);
        Assert.Equal("it's here", read.Label);
        Assert.Equal(-7, read.Amount);
        Assert.Equal(0.25, read.Ratio);
        Assert.Equal(3.0, read.Whole);
        Assert.True(read.Enabled);
        Assert.False(read.Hidden);
        Assert.Equal("{}", read.Attributes);
        Assert.Equal("[]", read.Items);
        Assert.Equal("""{"a": [1, 2], "b": "x"}""", read.Shape);
        Assert.Equal(Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"), read.Owner);
        Assert.Null(read.Maybe);
        Assert.Equal(5, read.MaybeNumber);
    }

    [Fact]
    public async Task Database_defaults_match_the_record_defaults_for_rows_written_by_raw_sql()
    {
        var before = DateTimeOffset.UtcNow;
        await Sink.WriteScalarAsync("INSERT INTO \"defaults\" (\"id\") VALUES (7)");

        var read = await Db.Defaults.GetAsync(7);

        var expected = new Defaulted { Id = 7 };
        Assert.NotNull(read);
        Assert.Equal(expected with { CreatedAt = read.CreatedAt, CreatedOn = read.CreatedOn }, read);
        // SQLite's clock has millisecond resolution: compare to the millisecond.
        Assert.InRange(read.CreatedAt, before.AddMilliseconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal(DateOnly.FromDateTime(before.UtcDateTime), read.CreatedOn);
    }
}

namespace Filix.Runtime.Tests.Sqlite;

/// <summary>What lands in the file: stored forms other tools read, and the constraints that keep them valid.</summary>
public sealed class StoredFormTests : SinkTests
{
    [Fact]
    public async Task Timestamps_are_stored_as_fixed_width_utc_text()
    {
        var local = new DateTimeOffset(2024, 3, 10, 2, 30, 15, TimeSpan.FromHours(-5)).AddTicks(17);
        await Db.Things.InsertAsync(Samples.Thing(0) with { TimestampValue = local });

        var stored = await Sink.ReadColumnAsync("SELECT \"timestamp_value\" FROM \"things\"");

        // UTC, 7 fractional digits, truncated to the microsecond (the last digit is always 0).
        Assert.Equal("2024-03-10T07:30:15.0000010Z", Assert.Single(stored));
        Assert.Equal("text", await Sink.ReadScalarAsync("SELECT typeof(\"timestamp_value\") FROM \"things\""));
    }

    [Fact]
    public async Task Ordering_by_a_timestamp_column_in_sql_is_time_order_whatever_the_offsets()
    {
        var instants = new[]
        {
            new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(14)),
            new DateTimeOffset(2023, 12, 31, 12, 0, 0, TimeSpan.FromHours(-11)),
            new DateTimeOffset(2023, 12, 31, 10, 0, 0, TimeSpan.Zero).AddTicks(10),
            new DateTimeOffset(2023, 12, 31, 10, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(999, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2023, 12, 31, 10, 0, 0, TimeSpan.Zero).AddMilliseconds(100),
        };
        await Db.Things.InsertManyAsync(instants.Select((t, i) => Samples.Thing(i) with { TimestampValue = t }));

        var stored = await Sink.ReadColumnAsync("SELECT \"timestamp_value\" FROM \"things\" ORDER BY \"timestamp_value\"");

        Assert.All(stored, s => Assert.Equal(28, s.Length));
        var expected = instants.OrderBy(t => t.UtcTicks).Select(t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, stored);
    }

    [Fact]
    public async Task Dates_uuids_and_booleans_have_readable_stored_forms()
    {
        await Db.Things.InsertAsync(Samples.Thing(0) with
        {
            DateValue = new DateOnly(2024, 2, 29),
            UuidValue = Guid.Parse("6F9619FF-8B86-D011-B42D-00CF4FC964FF"),
            BooleanValue = true,
        });

        Assert.Equal("2024-02-29", await Sink.ReadScalarAsync("SELECT \"date_value\" FROM \"things\""));
        Assert.Equal("6f9619ff-8b86-d011-b42d-00cf4fc964ff", await Sink.ReadScalarAsync("SELECT \"uuid_value\" FROM \"things\""));
        Assert.Equal(1L, await Sink.ReadScalarAsync("SELECT \"boolean_value\" FROM \"things\""));
        Assert.Equal("blob", await Sink.ReadScalarAsync("SELECT typeof(\"blob_value\") FROM \"things\""));
        Assert.Equal("real", await Sink.ReadScalarAsync("SELECT typeof(\"real_value\") FROM \"things\""));
    }

    [Fact]
    public async Task The_database_default_for_now_has_the_same_stored_form()
    {
        await Sink.WriteScalarAsync("INSERT INTO \"defaults\" (\"id\") VALUES (1)");

        var stored = (string)(await Sink.ReadScalarAsync("SELECT \"created_at\" FROM \"defaults\""))!;

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", stored);
    }

    [Theory]
    [InlineData("integer_value", "'twelve'")]
    [InlineData("real_value", "'1.5x'")]
    [InlineData("blob_value", "'text, not bytes'")]
    [InlineData("text_value", "x'00ff'")]
    public async Task Strict_tables_reject_a_value_of_the_wrong_storage_class_written_by_raw_sql(string column, string literal)
    {
        var error = await Assert.ThrowsAsync<FilixException>(() => Sink.WriteScalarAsync(RawInsert(column, literal)));

        Assert.Contains($"things.{column}", error.Message, StringComparison.Ordinal);
        Assert.Contains("STRICT", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Db.Things.CountAsync());
    }

    [Theory]
    [InlineData("json_value", "'{not json'")]
    [InlineData("json_value", "''")]
    [InlineData("json_null", "'[1, 2'")]
    [InlineData("boolean_value", "2")]
    [InlineData("boolean_null", "-1")]
    public async Task Check_constraints_reject_invalid_json_and_booleans_other_than_0_and_1(string column, string literal)
    {
        var error = await Assert.ThrowsAsync<FilixException>(() => Sink.WriteScalarAsync(RawInsert(column, literal)));

        Assert.Contains("CHECK", error.Message, StringComparison.Ordinal);
        Assert.Contains(column, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Db.Things.CountAsync());
    }

    [Fact]
    public async Task A_json_column_refuses_invalid_json_from_the_typed_api_too()
    {
        var error = await Assert.ThrowsAsync<FilixException>(() => Db.Things.InsertAsync(Samples.Thing(0) with { JsonValue = "{\"unclosed\": " }));

        Assert.Contains("json_valid", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A valid row by raw SQL, with <paramref name="column"/> replaced by <paramref name="literal"/>.</summary>
    private static string RawInsert(string column, string literal)
    {
        var values = new Dictionary<string, string>
        {
            ["id"] = "'00000000-0000-0000-0000-000000000001'",
            ["code"] = "'c'",
            ["text_value"] = "'t'",
            ["integer_value"] = "1",
            ["real_value"] = "1.5",
            ["boolean_value"] = "0",
            ["blob_value"] = "x'01'",
            ["timestamp_value"] = "'2024-01-01T00:00:00.0000000Z'",
            ["date_value"] = "'2024-01-01'",
            ["json_value"] = "'{}'",
            ["uuid_value"] = "'00000000-0000-0000-0000-000000000002'",
        };
        values[column] = literal;
        return $"INSERT INTO \"things\" ({string.Join(", ", values.Keys.Select(k => $"\"{k}\""))}) VALUES ({string.Join(", ", values.Values)})";
    }
}

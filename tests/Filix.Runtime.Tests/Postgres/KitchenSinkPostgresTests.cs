using System.Text.Json.Nodes;
using Filix.Testing.Postgres;
using Npgsql;

namespace Filix.Runtime.Tests.Postgres;

/// <summary>Every portable type through the generated upstream adapters and a real Postgres, with edge values.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class KitchenSinkPostgresTests(PostgresFixture postgres)
{
    private Task<NpgsqlConnection> OpenAsync() => UpstreamDatabase.CreateAsync(postgres, KitchenSinkSchema.Definition);

    /// <summary>Like <see cref="Samples.AssertSame(Thing, Thing?)"/>, but JSON compared as JSON (jsonb normalises the text).</summary>
    private static void AssertSameUpstream(Thing expected, Thing? actual)
    {
        Assert.NotNull(actual);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.JsonValue), JsonNode.Parse(actual.JsonValue)), $"{expected.JsonValue} != {actual.JsonValue}");
        Assert.Equal(expected.JsonNull is null, actual.JsonNull is null);
        if (expected.JsonNull is not null)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.JsonNull), JsonNode.Parse(actual.JsonNull!)));
        }

        Samples.AssertSame(expected with { JsonValue = "", JsonNull = null }, actual with { JsonValue = "", JsonNull = null });
    }

    private static async Task<Dictionary<Guid, Thing>> ScanAsync(NpgsqlConnection connection) =>
        await ThingsUpstream.ScanAsync(connection).ToDictionaryAsync(t => t.Id);

    [Fact]
    public async Task Sample_rows_with_values_and_with_nulls_round_trip()
    {
        await using var connection = await OpenAsync();
        var rows = Samples.Things(10);

        Assert.Equal(10, await ThingsUpstream.UpsertAsync(connection, rows));

        Assert.Equal(10, await ThingsUpstream.CountAsync(connection));
        var read = await ThingsUpstream.ScanAsync(connection).ToListAsync();
        // Scan is in key order; Postgres orders uuids by their bytes, which for these ids is their text order too.
        Assert.Equal(rows.Select(r => r.Id).Order(), read.Select(r => r.Id));
        foreach (var row in rows)
        {
            AssertSameUpstream(row, read.Single(r => r.Id == row.Id));
        }
    }

    [Fact]
    public async Task Edge_values_of_every_type_round_trip()
    {
        await using var connection = await OpenAsync();
        var everyByte = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        Thing[] rows =
        [
            Samples.Thing(0) with
            {
                IntegerValue = long.MinValue, IntegerNull = long.MaxValue,
                RealValue = -1.7976931348623157e308, RealNull = 4.9e-324,
                BlobValue = [], BlobNull = everyByte,
                TextValue = "", TextNull = "Grüße 日本語 עברית 👩‍👩‍👧 e\u0301 'quotes' \"double\" \\",
                // timestamptz keeps microseconds: offsets are converted to the same instant, read back as UTC.
                TimestampValue = new DateTimeOffset(2024, 3, 10, 2, 30, 15, TimeSpan.FromHours(-11.5)).AddTicks(123_456_0),
                TimestampNull = new DateTimeOffset(1, 1, 2, 0, 0, 0, TimeSpan.Zero),
                DateValue = DateOnly.MinValue, DateNull = DateOnly.MaxValue,
                JsonValue = """{"nested": {"list": [1, 2.5, true, null, "ü"]}, "spaced" :  1 }""", JsonNull = "\"just a string\"",
                UuidValue = Guid.AllBitsSet, UuidNull = Guid.Empty,
                BooleanValue = true, BooleanNull = false,
            },
            Samples.Thing(1) with { RealValue = 0.1, TimestampValue = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.FromHours(14)) },
        ];

        await ThingsUpstream.UpsertAsync(connection, rows);

        var read = await ScanAsync(connection);
        foreach (var row in rows)
        {
            AssertSameUpstream(row, read[row.Id]);
            Assert.Equal(TimeSpan.Zero, read[row.Id].TimestampValue.Offset);
        }
    }

    [Fact]
    public async Task Upsert_of_an_existing_key_updates_every_column_including_back_to_null()
    {
        await using var connection = await OpenAsync();
        var original = Samples.Thing(2);
        await ThingsUpstream.UpsertAsync(connection, [original]);

        var replacement = Samples.Thing(3) with { Id = original.Id };
        Assert.Equal(1, await ThingsUpstream.UpsertAsync(connection, [replacement]));

        Assert.Equal(1, await ThingsUpstream.CountAsync(connection));
        AssertSameUpstream(replacement, (await ScanAsync(connection))[original.Id]);
    }

    [Fact]
    public async Task Keyword_table_with_a_composite_key_round_trips_in_key_order()
    {
        await using var connection = await OpenAsync();
        Order[] rows =
        [
            new() { Customer = "b", Group = 1, Line = 1, Select = "s", Class = "c", Where = Guid.NewGuid() },
            new() { Customer = "a", Group = 10, Line = 1 },
            new() { Customer = "a", Group = 2, Line = 1, Select = "x" },
        ];

        await OrderUpstream.UpsertAsync(connection, rows);
        await OrderUpstream.UpsertAsync(connection, [rows[2] with { Select = "updated" }]);

        var read = await OrderUpstream.ScanAsync(connection).ToListAsync();
        Assert.Equal([rows[2] with { Select = "updated" }, rows[1], rows[0]], read);
    }

    [Fact]
    public async Task Foreign_keys_upstream_are_deferred_to_commit()
    {
        await using var connection = await OpenAsync();
        var thing = Samples.Thing(0);

        // A batch may arrive child first: the reference is checked at commit, when its target exists.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await PartsUpstream.UpsertAsync(connection, [new Part { Id = 1, ThingId = thing.Id, Note = "child first" }]);
            await ThingsUpstream.UpsertAsync(connection, [thing]);
            await transaction.CommitAsync();
        }

        Assert.Equal([new Part { Id = 1, ThingId = thing.Id, Note = "child first" }], await PartsUpstream.ScanAsync(connection).ToListAsync());

        // A reference that never resolves fails at commit, naming the constraint.
        await using var failing = await connection.BeginTransactionAsync();
        await PartsUpstream.UpsertAsync(connection, [new Part { Id = 2, ThingId = Guid.NewGuid() }]);
        var error = await Assert.ThrowsAsync<PostgresException>(() => failing.CommitAsync());
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [Fact]
    public async Task The_same_rows_read_back_from_sqlite_and_from_postgres_are_equal()
    {
        await using var connection = await OpenAsync();
        await using var file = await SinkFile.OpenAsync();
        var rows = Samples.Things(6);
        await file.Db.Things.InsertManyAsync(rows);

        // What a sync would do: read from the local file, write upstream, read back.
        await ThingsUpstream.UpsertAsync(connection, await file.Db.Things.ScanAsync().ToListAsync());

        var upstream = await ScanAsync(connection);
        foreach (var local in await file.Db.Things.ScanAsync().ToListAsync())
        {
            AssertSameUpstream(local, upstream[local.Id]);
        }
    }
}

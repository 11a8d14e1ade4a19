namespace Filix.Runtime.Tests.Support;

/// <summary>Rows of the kitchen_sink test schema, distinct per index, with every column filled (even
/// <paramref name="i"/>) or every nullable column null (odd <paramref name="i"/>).</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Epoch = new(2024, 1, 31, 12, 0, 0, TimeSpan.Zero);

    public static Guid Id(int i) => new($"00000000-0000-0000-0000-{i:x12}");

    public static Thing Thing(int i) => i % 2 == 0
        ? new Thing
        {
            Id = Id(i),
            Code = $"code-{i:D4}",
            Tag = $"tag-{i % 3}",
            TextValue = $"text {i}",
            TextNull = $"also text {i}",
            IntegerValue = i * 1000L,
            IntegerNull = i,
            RealValue = i + 0.5,
            RealNull = -i - 0.25,
            BooleanValue = i % 4 == 0,
            BooleanNull = true,
            BlobValue = [(byte)i, 0, 255],
            BlobNull = [1, 2, 3],
            // Microsecond steps: exact in Postgres too (timestamptz keeps microseconds, .NET ticks are 100 ns).
            TimestampValue = Epoch.AddTicks(i * 10L),
            TimestampNull = Epoch.AddDays(i),
            DateValue = new DateOnly(2024, 2, 1).AddDays(i),
            DateNull = new DateOnly(1999, 12, 31),
            JsonValue = $$"""{"i":{{i}},"list":[1,2,3]}""",
            JsonNull = "[]",
            UuidValue = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"),
            UuidNull = new Guid($"11111111-0000-0000-0000-{i:x12}"),
        }
        : new Thing
        {
            Id = Id(i),
            Code = $"code-{i:D4}",
            TextValue = $"text {i}",
            IntegerValue = i * 1000L,
            RealValue = i + 0.5,
            BooleanValue = false,
            BlobValue = [],
            TimestampValue = Epoch.AddTicks(i * 10L),
            DateValue = new DateOnly(2024, 2, 1).AddDays(i),
            JsonValue = "null",
            UuidValue = Guid.Empty,
        };

    public static List<Thing> Things(int count, int first = 0) => Enumerable.Range(first, count).Select(Thing).ToList();

    /// <summary>Records compare arrays by reference; this compares blobs by content and everything else by value.</summary>
    public static void AssertSame(Thing expected, Thing? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.BlobValue, actual.BlobValue);
        Assert.Equal(expected.BlobNull, actual.BlobNull);
        Assert.Equal(WithoutBlobs(expected), WithoutBlobs(actual));
    }

    public static void AssertSame(IReadOnlyList<Thing> expected, IReadOnlyList<Thing> actual)
    {
        Assert.Equal(expected.Select(t => t.Id), actual.Select(t => t.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSame(expected[i], actual[i]);
        }
    }

    private static Thing WithoutBlobs(Thing row) => row with { BlobValue = [], BlobNull = null };
}

using System.Reflection;
using System.Text.Json.Nodes;

namespace Filix.Runtime.Tests.Postgres;

/// <summary>
/// Builds rows of any generated record type from the catalog: row <c>i</c> of every table gets values that are
/// distinct per row (so keys and unique columns hold), null in nullable columns of odd rows, and in a
/// foreign key column the value of row <c>i</c> of the referenced table (so every reference resolves).
/// Timestamps are whole microseconds, the precision of Postgres's timestamptz.
/// </summary>
internal sealed class SampleRows(PostgresCatalog catalog)
{
    private static readonly DateTimeOffset Epoch = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public object Row(string table, Type record, int i, int variant = 0)
    {
        var row = Activator.CreateInstance(record)!;
        foreach (var column in catalog.Tables[table])
        {
            Property(record, column).SetValue(row, Value(column, i, variant));
        }

        return row;
    }

    public static PropertyInfo Property(Type record, PgColumn column) =>
        record.GetProperties().SingleOrDefault(p => p.Name.Equals(column.Name.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"{record.Name} has no property for column {column.Table}.{column.Name}.");

    /// <summary>The value of <paramref name="column"/> in row <paramref name="i"/>; <paramref name="variant"/> changes it
    /// (for updates) without breaking uniqueness.</summary>
    public object? Value(PgColumn column, int i, int variant = 0)
    {
        if (column.References is { } target)
        {
            return Value(catalog.Column(target.Table, target.Column), i);
        }

        if (column.Nullable && i % 2 == 1)
        {
            return null;
        }

        var salt = Salt(column) + (variant * 1_000_003);
        return column.Type switch
        {
            "text" => $"{column.Name} #{i} ~{salt} ü✓",
            "int8" => (i * 1_000_000L) + salt,
            "float8" => i + (salt / 1024.0) - 0.5,
            "bool" => (i + salt) % 2 == 0,
            "bytea" => new[] { (byte)i, (byte)salt, (byte)(salt >> 8), (byte)0 },
            "timestamptz" => Epoch.AddTicks((i * 10_000_000L) + (salt % 1_000_000 * 10L)),
            "date" => DateOnly.FromDateTime(Epoch.UtcDateTime).AddDays(i + (salt % 1000)),
            "jsonb" => $$$"""{"row":{{{i}}},"salt":{{{salt}}},"tags":["a","b"],"nested":{"ok":true}}""",
            "uuid" => new Guid((int)salt, (short)i, (short)variant, 1, 2, 3, 4, 5, 6, 7, (byte)(i >> 8)),
            _ => throw new InvalidOperationException($"No sample value for Postgres type {column.Type} ({column.Table}.{column.Name}): add it here."),
        };
    }

    /// <summary>Asserts that <paramref name="actual"/> holds the values of <paramref name="expected"/>: jsonb
    /// normalises JSON text, so JSON is compared as JSON; blobs by content; everything else by value.</summary>
    public void AssertSame(string table, object expected, object actual)
    {
        foreach (var column in catalog.Tables[table])
        {
            var property = Property(expected.GetType(), column);
            var (want, got) = (property.GetValue(expected), property.GetValue(actual));
            var where = $"{table}.{column.Name}";
            switch (want)
            {
                case string json when column.Type == "jsonb":
                    Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse((string)got!)), $"{where}: {json} != {got}");
                    break;
                case byte[] bytes:
                    Assert.Equal(bytes, (byte[]?)got);
                    break;
                default:
                    Assert.True(Equals(want, got), $"{where}: expected {want}, read {got}");
                    break;
            }
        }
    }

    public string Key(string table, object row) =>
        string.Join("|", catalog.Tables[table].Where(c => c.Key).Select(c => Property(row.GetType(), c).GetValue(row)));

    private static int Salt(PgColumn column)
    {
        var hash = 17;
        foreach (var c in column.Table + "." + column.Name)
        {
            hash = unchecked((hash * 31) + c);
        }

        return (hash & 0x7fff) + 1;
    }
}

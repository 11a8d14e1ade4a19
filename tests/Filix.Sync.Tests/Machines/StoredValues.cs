using System.Globalization;
using System.Text;
using Filix.Runtime;
using Filix.Runtime.Sqlite;

namespace Filix.Sync.Tests.Machines;

/// <summary>
/// Values in their SQLite stored forms (null, <see cref="long"/>, <see cref="double"/>, <see cref="string"/>): what
/// the harness generates, writes by raw SQL, converts to records for the repositories, and compares. A row's
/// <see cref="Canonical"/> text tells a 1 from a 1.0 and a NULL from 'NULL', so equal texts mean equal rows.
/// </summary>
internal static class StoredValues
{
    /// <summary>Quotes text as JSON without escaping what needs none, so failure messages stay readable.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Words = ["alpha", "Ünïcødé ✓", "O'Brien", "say \"hi\"", "tab\there", "line\nbreak", "", "  spaced  ", "日本語", "émigré"];

    /// <summary>A fresh value for <paramref name="column"/> (<paramref name="serial"/> makes unique ones unique across
    /// machines). Nullable columns are null one time in five.</summary>
    public static object? Generate(ColumnModel column, Random random, string serial)
    {
        if (column.Nullable && !column.Unique && random.Next(5) == 0)
        {
            return null;
        }

        return column.Kind switch
        {
            ValueKind.Text => column.Unique ? $"{column.Name}-{serial}" : $"{column.Name} {Words[random.Next(Words.Length)]} {random.Next(1000)}",
            ValueKind.Json => Json(random),
            ValueKind.Integer => random.Next(4) == 0 ? random.NextInt64(-(1L << 50), 1L << 50) : random.Next(-5, 5000),
            ValueKind.Real => random.Next(3) switch { 0 => (double)random.Next(100), 1 => 0.1 + random.Next(10), _ => random.NextDouble() * 1e6 },
            ValueKind.Boolean => (long)random.Next(2),
            ValueKind.Uuid => Uuid(random, column.Unique ? 'e' : 'f'),
            ValueKind.Date => new DateOnly(1990 + random.Next(40), 1 + random.Next(12), 1 + random.Next(28)).ToString("O", CultureInfo.InvariantCulture),
            ValueKind.Timestamp => Timestamp(random),
            _ => throw new NotSupportedException(column.Kind.ToString()),
        };
    }

    /// <summary>A uuid's stored form starting with <paramref name="first"/> (the harness's key classes: see
    /// <see cref="TableModel"/>).</summary>
    public static string Uuid(Random random, char first)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        var hex = first + Convert.ToHexStringLower(bytes)[1..];
        return Guid.ParseExact(hex, "N").ToString("D");
    }

    public static string Timestamp(Random random)
    {
        var ticks = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks + random.NextInt64(TimeSpan.TicksPerDay * 365 * 30);
        return (string)SqliteValues.Timestamp(new DateTimeOffset(ticks, TimeSpan.Zero));
    }

    /// <summary>JSON in the text Postgres's <c>jsonb</c> gives back (", " and ": " separators, object keys by length):
    /// the form a machine that pulled the row stores. Other spellings are the subject of their own test.</summary>
    private static string Json(Random random) => random.Next(4) switch
    {
        0 => "[]",
        1 => "{}",
        2 => "[" + string.Join(", ", Enumerable.Range(0, 1 + random.Next(3)).Select(i => $"\"t{random.Next(50)}\"")) + "]",
        _ => $"{{\"k\": {random.Next(100)}, \"key\": \"v{random.Next(9)}\"}}",
    };

    /// <summary>The value as a typed record holds it (for the repositories).</summary>
    public static object? ToLogical(ColumnModel column, object? stored) => stored is null or DBNull ? null : column.Kind switch
    {
        ValueKind.Text or ValueKind.Json => (string)stored,
        ValueKind.Integer => Convert.ToInt64(stored, CultureInfo.InvariantCulture),
        ValueKind.Real => Convert.ToDouble(stored, CultureInfo.InvariantCulture),
        ValueKind.Boolean => Convert.ToInt64(stored, CultureInfo.InvariantCulture) != 0,
        ValueKind.Uuid => Guid.Parse((string)stored),
        ValueKind.Date => SqliteValues.ParseDate((string)stored),
        ValueKind.Timestamp => SqliteValues.ParseTimestamp((string)stored),
        _ => throw new NotSupportedException(column.Kind.ToString()),
    };

    /// <summary>One value as comparable text: its storage class and its exact value.</summary>
    public static string Token(object? value) => value switch
    {
        null or DBNull => "null",
        long l => "i:" + l.ToString(CultureInfo.InvariantCulture),
        int i => "i:" + i.ToString(CultureInfo.InvariantCulture),
        double d => "r:" + d.ToString("R", CultureInfo.InvariantCulture),
        string s => "t:" + System.Text.Json.JsonSerializer.Serialize(s, Readable),
        byte[] b => "b:" + Convert.ToHexString(b),
        _ => throw new NotSupportedException($"Stored form {value.GetType()}"),
    };

    /// <summary>A whole row (every column, in order) as comparable text.</summary>
    public static string Canonical(IEnumerable<object?> row)
    {
        var text = new StringBuilder("(");
        foreach (var value in row)
        {
            text.Append(text.Length == 1 ? string.Empty : ", ").Append(Token(value));
        }

        return text.Append(')').ToString();
    }

    /// <summary>A stored value from the JSON a Python writer printed: numbers with a point or exponent are REAL.</summary>
    public static object? FromJson(System.Text.Json.JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Null => null,
        System.Text.Json.JsonValueKind.String => element.GetString(),
        System.Text.Json.JsonValueKind.Number => element.GetRawText().IndexOfAny(['.', 'e', 'E']) >= 0
            ? (object)element.GetDouble()
            : element.GetInt64(),
        _ => throw new NotSupportedException($"JSON {element.ValueKind} from the Python writer"),
    };

    /// <summary>A stored value as JSON for the Python writer (doubles round-trip exactly: Python parses the shortest
    /// representation back to the same binary64).</summary>
    public static object? ToJson(object? stored) => stored;
}

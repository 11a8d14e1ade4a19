using System.Globalization;
using System.Text;

namespace Filix.Cli.Seeding;

/// <summary>
/// Plausible values for generated rows: names, titles, sentences, hashes. Small word lists combined at random give
/// enough variety for indexes and lookups to behave as they would on real data.
/// </summary>
internal sealed partial class SampleData(Random random)
{
    public Random Random { get; } = random;

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => Random.NextDouble() < p;

    public string GivenName() => Pick(GivenNames);

    public string FamilyName() => Pick(FamilyNames);

    public string City() => Pick(Cities).City;

    public (string City, string Country) Place() => Pick(Cities);

    /// <summary>A sentence of <paramref name="minWords"/> to <paramref name="maxWords"/> words, capitalised, with a full stop.</summary>
    public string Sentence(int minWords = 6, int maxWords = 18)
    {
        var count = Random.Next(minWords, maxWords + 1);
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var word = Pick(Words);
            sb.Append(i == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            sb.Append(i == count - 1 ? "." : Chance(0.08) ? ", " : " ");
        }

        return sb.ToString();
    }

    public string Paragraph(int sentences) =>
        string.Join(' ', Enumerable.Range(0, sentences).Select(_ => Sentence()));

    /// <summary>A research-paper title, such as "Serotonergic modulation of cortical circuits in mice".</summary>
    public string PaperTitle()
    {
        var topic = Pick(Topics);
        return Random.Next(4) switch
        {
            0 => $"{Capital(Pick(Adjectives))} {topic} in {Pick(Systems)}",
            1 => $"{Capital(topic)} shapes {Pick(Outcomes)} during {Pick(Contexts)}",
            2 => $"A {Pick(Methods)} approach to {topic}",
            _ => $"{Capital(Pick(Adjectives))} {topic} and {Pick(Outcomes)} in {Pick(Systems)}",
        };
    }

    /// <summary>Lower-case words joined by '-', safe for ids, keys and file names.</summary>
    public static string Slug(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        return sb.ToString().Trim('-');
    }

    public string Hex(int bytes)
    {
        var buffer = new byte[bytes];
        Random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }

    public Guid Guid()
    {
        var buffer = new byte[16];
        Random.NextBytes(buffer);
        buffer[7] = (byte)((buffer[7] & 0x0F) | 0x40); // version 4
        buffer[8] = (byte)((buffer[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(buffer);
    }

    /// <summary>Log-normally distributed sizes: most files small, a long tail of large ones.</summary>
    public long Size(double medianBytes, double spread = 1.2) =>
        Math.Max(1, (long)(medianBytes * Math.Exp(spread * Gaussian())));

    public double Gaussian()
    {
        var u1 = 1.0 - Random.NextDouble();
        var u2 = Random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A JSON array of strings.</summary>
    public static string JsonArray(IEnumerable<string> items) =>
        System.Text.Json.JsonSerializer.Serialize(items.ToArray(), SeedJson.Default.StringArray);

    public static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Source-generated JSON for the few shapes seeders write (no reflection).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SeedJson : System.Text.Json.Serialization.JsonSerializerContext;

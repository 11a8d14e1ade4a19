using System;
using System.Globalization;
using System.Linq;
using Filix.Generators.Model;

namespace Filix.Generators.Parsing;

/// <summary>The schema language's type names and how a YAML default is checked against them.</summary>
internal static class TypeNames
{
    public static readonly string[] All = Enum.GetValues(typeof(ColumnType)).Cast<ColumnType>().Select(Name).ToArray();

    public static string Name(ColumnType type) => type.ToString().ToLowerInvariant();

    public static bool TryParse(string name, out ColumnType type)
    {
        foreach (ColumnType candidate in Enum.GetValues(typeof(ColumnType)))
        {
            if (Name(candidate) == name)
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>Checks a scalar default against its column type and returns it in canonical form, or the reason
    /// it does not fit.</summary>
    public static DefaultValue? ParseDefault(ColumnType type, string raw, bool isPlain, out string? error)
    {
        error = null;
        var inv = CultureInfo.InvariantCulture;
        switch (type)
        {
            case ColumnType.Text:
                return new DefaultValue(DefaultKind.Literal, raw);
            case ColumnType.Integer:
                if (long.TryParse(raw, NumberStyles.AllowLeadingSign, inv, out var l))
                {
                    return new DefaultValue(DefaultKind.Literal, l.ToString(inv));
                }

                error = "expected a whole number such as 0 or -12";
                return null;
            case ColumnType.Real:
                if (double.TryParse(raw, NumberStyles.Float, inv, out var d) && !double.IsNaN(d) && !double.IsInfinity(d))
                {
                    return new DefaultValue(DefaultKind.Literal, d.ToString("R", inv));
                }

                error = "expected a number such as 0.5";
                return null;
            case ColumnType.Boolean:
                if (isPlain && (raw == "true" || raw == "false"))
                {
                    return new DefaultValue(DefaultKind.Literal, raw);
                }

                error = "expected true or false (unquoted)";
                return null;
            case ColumnType.Timestamp:
                if (raw == "now")
                {
                    return new DefaultValue(DefaultKind.Now, string.Empty);
                }

                if (DateTimeOffset.TryParse(raw, inv, DateTimeStyles.AssumeUniversal, out var ts))
                {
                    // Timestamps have microsecond precision (as Postgres): the literal is truncated like every value.
                    var utc = ts.UtcTicks - (ts.UtcTicks % 10);
                    return new DefaultValue(DefaultKind.Literal, new DateTime(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", inv));
                }

                error = "expected 'now' or an ISO-8601 time such as 2024-01-31T12:00:00Z";
                return null;
            case ColumnType.Date:
                if (raw == "today")
                {
                    return new DefaultValue(DefaultKind.Today, string.Empty);
                }

                if (DateTime.TryParseExact(raw, "yyyy-MM-dd", inv, DateTimeStyles.None, out _))
                {
                    return new DefaultValue(DefaultKind.Literal, raw);
                }

                error = "expected 'today' or a date such as 2024-01-31";
                return null;
            case ColumnType.Json:
                if (LooksLikeJson(raw.Trim()))
                {
                    return new DefaultValue(DefaultKind.Literal, raw.Trim());
                }

                error = "expected a JSON value such as '{}', '[]', '\"text\"' or 0 (quote it in YAML)";
                return null;
            case ColumnType.Uuid:
                if (Guid.TryParse(raw, out var g))
                {
                    return new DefaultValue(DefaultKind.Literal, g.ToString("D"));
                }

                error = "expected a UUID such as 00000000-0000-0000-0000-000000000000";
                return null;
            case ColumnType.Blob:
                error = "blob columns cannot have a default";
                return null;
            default:
                throw Unhandled.Value(type);
        }
    }

    /// <summary>A shallow JSON check (balanced brackets, valid scalar); enough to catch a YAML value that was
    /// meant as something else. The database stores the text as given.</summary>
    private static bool LooksLikeJson(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        if (value == "true" || value == "false" || value == "null"
            || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return true;
        }

        if (value[0] == '"')
        {
            return value.Length >= 2 && value[value.Length - 1] == '"';
        }

        if (value[0] != '{' && value[0] != '[')
        {
            return false;
        }

        var depth = 0;
        var inString = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"': inString = true; break;
                case '{': case '[': depth++; break;
                case '}': case ']':
                    depth--;
                    if (depth < 0)
                    {
                        return false;
                    }

                    break;
            }
        }

        return depth == 0 && !inString;
    }
}

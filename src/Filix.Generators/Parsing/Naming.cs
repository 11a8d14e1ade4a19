using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Filix.Generators.Parsing;

/// <summary>How schema names (snake_case) become C# names. One rule, used by every emitter.</summary>
internal static class Naming
{
    /// <summary>Postgres truncates identifiers at 63 bytes; refuse longer ones rather than let two names collide.</summary>
    public const int MaxIdentifierLength = 63;

    /// <summary>A schema identifier: lower snake_case, starting with a letter. Keywords are allowed: SQL quotes
    /// every identifier and C# escapes with '@'.</summary>
    public static bool IsValidIdentifier(string name)
    {
        if (name.Length == 0 || name.Length > MaxIdentifierLength || name[0] < 'a' || name[0] > 'z')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            {
                return false;
            }
        }

        return !name.StartsWith("sqlite_", StringComparison.Ordinal) && !name.StartsWith("_filix", StringComparison.Ordinal);
    }

    /// <summary>A name as the user wrote it in lower snake_case, for the suggestion of FLX0009: <c>RoleType</c> ->
    /// <c>role_type</c>, <c>HTTPServer</c> -> <c>http_server</c>, <c>S3Key</c> -> <c>s3_key</c>, <c>role-type</c> ->
    /// <c>role_type</c>. The result may still be invalid (a leading digit, too long); the caller checks.</summary>
    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c >= 'A' && c <= 'Z')
            {
                // A word starts at an upper-case letter after a lower-case letter or digit, or at the last capital
                // of an acronym that a lower-case letter follows (HTTPServer: HTTP + Server).
                var previous = i > 0 ? name[i - 1] : '_';
                var next = i + 1 < name.Length ? name[i + 1] : '_';
                if ((previous >= 'a' && previous <= 'z') || (previous >= '0' && previous <= '9') || (previous >= 'A' && previous <= 'Z' && next >= 'a' && next <= 'z'))
                {
                    sb.Append('_');
                }

                sb.Append((char)(c + ('a' - 'A')));
            }
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[sb.Length - 1] != '_')
            {
                // Any other character separates words; never two underscores, none leading.
                sb.Append('_');
            }
        }

        return sb.ToString().TrimEnd('_');
    }

    /// <summary><c>role_type</c> -> <c>RoleType</c>; <c>s3_key</c> -> <c>S3Key</c>.</summary>
    public static string ToPascalCase(string name)
    {
        var sb = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = char.IsDigit(c);
        }

        return sb.ToString();
    }

    /// <summary>The parameter every generated method with column parameters also takes.</summary>
    public const string CancellationTokenParameter = "cancellationToken";

    /// <summary><c>role_type</c> -> <c>roleType</c>, escaped with '@' when it is a C# keyword. A column named
    /// <c>cancellation_token</c> gets a <c>Value</c> suffix, as a property named like a record member does:
    /// '@' cannot escape it, as it is no keyword but the name of the methods' own parameter.</summary>
    public static string ToParameterName(string name)
    {
        var pascal = ToPascalCase(name);
        var camel = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        return camel == CancellationTokenParameter ? camel + "Value" : EscapeKeyword(camel);
    }

    /// <summary>The element name of a named tuple for a property name: C# refuses some names in tuples (CS8125,
    /// CS8126: <c>Rest</c>, <c>ToString</c>, <c>Item2</c> outside position 2, ...), so those get a <c>Value</c> suffix.</summary>
    public static string ToTupleElementName(string propertyName) =>
        propertyName is "CompareTo" or "Deconstruct" or "Equals" or "GetHashCode" or "Rest" or "ToString"
            || (propertyName.StartsWith("Item", StringComparison.Ordinal) && propertyName.Length > 4 && propertyName.Substring(4).All(char.IsDigit))
            ? propertyName + "Value"
            : propertyName;

    public static string EscapeKeyword(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(identifier) != SyntaxKind.None
            ? "@" + identifier
            : identifier;

    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["people"] = "person",
        ["children"] = "child",
        ["indices"] = "index",
        ["media"] = "medium",
        ["data"] = "datum",
        ["series"] = "series",
        ["news"] = "news",
    };

    /// <summary>A small English singular for table names (<c>entities</c> -> <c>entity</c>). Users override it
    /// with <c>record:</c> where it guesses wrong: a rule that is visible and overridable beats a clever one.</summary>
    public static string Singularize(string word)
    {
        if (Irregular.TryGetValue(word, out var irregular))
        {
            return irregular;
        }

        foreach (var pair in Irregular)
        {
            if (word.EndsWith("_" + pair.Key, StringComparison.Ordinal))
            {
                return word.Substring(0, word.Length - pair.Key.Length) + pair.Value;
            }
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 3)
        {
            return word.Substring(0, word.Length - 3) + "y";
        }

        if (word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal)
            || word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal))
        {
            return word.Substring(0, word.Length - 2);
        }

        if (word.EndsWith("s", StringComparison.Ordinal) && !word.EndsWith("ss", StringComparison.Ordinal) && word.Length > 1)
        {
            return word.Substring(0, word.Length - 1);
        }

        return word;
    }

    /// <summary>The closest candidate within a small edit distance, for "did you mean" hints.</summary>
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(value, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= Math.Max(2, value.Length / 3) ? best : null;
    }

    public static string DidYouMean(string value, IEnumerable<string> candidates)
    {
        var closest = Closest(value, candidates);
        return closest is null ? string.Empty : $" (did you mean '{closest}'?)";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

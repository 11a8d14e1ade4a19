using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Migrations;

/// <summary>
/// SQL functions a migration's data checks use on SQLite. <c>x REGEXP 'pattern'</c> calls <c>regexp(pattern, x)</c>,
/// which SQLite declares but does not define (the sqlite3 shell defines it too), so one pattern serves the SQLite
/// check and the Postgres one (<c>x ~ 'pattern'</c>). The patterns keep to what POSIX and .NET read alike
/// (<c>[0-9]</c>, not <c>\d</c>, which .NET extends to every script's digits); the one difference, that .NET's
/// <c>$</c> also matches before a final newline, is removed by reading a final <c>$</c> as <c>\z</c>.
/// </summary>
internal static class SqliteFunctions
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction<string?, object?, bool?>("regexp", Matches, isDeterministic: true);

    public static bool? Matches(string? pattern, object? value)
    {
        if (pattern is null || value is null or DBNull)
        {
            return null;
        }

        var text = value switch
        {
            string s => s,
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            byte[] b => System.Text.Encoding.UTF8.GetString(b),
            _ => value.ToString() ?? string.Empty,
        };
        var regex = Patterns.GetOrAdd(pattern, static p =>
            new Regex(p.EndsWith('$') && !p.EndsWith("\\$", StringComparison.Ordinal) ? p[..^1] + "\\z" : p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        return regex.IsMatch(text);
    }
}

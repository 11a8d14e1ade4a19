using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Filix.Runtime.Sync;

/// <summary>
/// The one place sync turns its upstream connection string into words. Every message and log line about the
/// upstream names it with <see cref="Describe"/> (<c>host:port/database (user U)</c>) and passes any text that came
/// from elsewhere (a driver's exception, a server's error) through <see cref="Scrub"/>, so the password never reaches
/// stdout, stderr, a log or an exception message, even when the connection string itself is malformed.
/// </summary>
public static class SyncRedaction
{
    /// <summary>What a scrubbed secret is replaced with.</summary>
    public const string Mask = "***";

    // Npgsql's spellings of the password setting (its synonyms are case-insensitive).
    private static readonly string[] PasswordKeys = ["Password", "PSW", "PWD"];

    /// <summary>The upstream as <c>host:port/database (user U)</c>: never its password. A string Npgsql cannot parse
    /// is described as such, without repeating it.</summary>
    public static string Describe(string connectionString)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return "(an upstream connection string that is not valid)";
        }

        var host = string.IsNullOrEmpty(settings.Host) ? "localhost" : settings.Host;
        var database = string.IsNullOrEmpty(settings.Database) ? "(the user's database)" : settings.Database;
        var user = string.IsNullOrEmpty(settings.Username) ? "the login user" : "user " + settings.Username;
        return string.Create(CultureInfo.InvariantCulture, $"{host}:{settings.Port}/{database} ({user})");
    }

    /// <summary>
    /// <paramref name="text"/> with every secret of <paramref name="connectionString"/> replaced by <see cref="Mask"/>:
    /// the password's value (as given and unquoted), and the whole connection string should the text quote it.
    /// </summary>
    public static string Scrub(string? text, string? connectionString)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(connectionString))
        {
            return text ?? string.Empty;
        }

        var scrubbed = text.Replace(connectionString, Describe(connectionString), StringComparison.Ordinal);
        foreach (var secret in Secrets(connectionString))
        {
            scrubbed = scrubbed.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return scrubbed;
    }

    /// <summary>The message of <paramref name="exception"/> and of each exception inside it, scrubbed, on one line:
    /// what a command prints when the upstream fails.</summary>
    public static string Message(Exception exception, string? connectionString)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var message = current.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
            if (message.Length > 0 && !parts.Any(p => p.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add(message);
            }
        }

        return Scrub(string.Join(" (", parts) + new string(')', Math.Max(0, parts.Count - 1)), connectionString);
    }

    /// <summary>The password values found in <paramref name="connectionString"/>: through Npgsql's parser when it
    /// accepts the string, and through the generic key=value parser (and a plain split) when it does not, so a
    /// malformed string's password is scrubbed too.</summary>
    private static IEnumerable<string> Secrets(string connectionString)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var password = new NpgsqlConnectionStringBuilder(connectionString).Password;
            if (!string.IsNullOrEmpty(password))
            {
                found.Add(password);
            }
        }
        catch (ArgumentException)
        {
            // Not a valid Npgsql string: the generic parser and the split below still find the value.
        }

        try
        {
            var generic = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in PasswordKeys)
            {
                if (generic.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } text)
                {
                    found.Add(text);
                }
            }
        }
        catch (ArgumentException)
        {
            // Not even key=value pairs: only the split below applies.
        }

        foreach (var pair in connectionString.Split(';'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && PasswordKeys.Any(k => string.Equals(pair[..equals].Trim(), k, StringComparison.OrdinalIgnoreCase)))
            {
                var value = pair[(equals + 1)..].Trim();
                if (value.Length > 0)
                {
                    found.Add(value);
                    found.Add(value.Trim('\'', '"'));
                }
            }
        }

        // Longest first, so a password that contains another is masked whole.
        return found.Where(s => s.Length > 0).OrderByDescending(s => s.Length);
    }
}

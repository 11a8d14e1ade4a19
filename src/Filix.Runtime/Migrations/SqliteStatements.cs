using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Filix.Runtime.Migrations;

/// <summary>
/// Runs a script one statement at a time, each prepared from the rest of the text (sqlite3_prepare_v2 and its tail),
/// stepped to the end and its result code checked. Microsoft.Data.Sqlite runs a multi-statement command too, but
/// after an <c>ALTER TABLE ... ADD COLUMN</c> it treats the rest of the command as leftover and loses the next
/// statement's error: a migration could be recorded as applied while a CREATE UNIQUE INDEX of it never ran.
/// </summary>
internal static partial class SqliteStatements
{
    /// <summary>Runs every statement of <paramref name="script"/> in order; <paramref name="before"/> sees each one's
    /// text (comments before it included) just before it runs. Throws <see cref="StatementFailedException"/> at the
    /// first statement SQLite refuses or fails.</summary>
    public static void Run(SqliteConnection connection, string script, Action<string>? before = null)
    {
        var db = connection.Handle!;
        ReadOnlySpan<byte> rest = Encoding.UTF8.GetBytes(script);
        var number = 0;
        while (!rest.IsEmpty)
        {
            var rc = raw.sqlite3_prepare_v2(db, rest, out var statement, out var tail);
            var text = Encoding.UTF8.GetString(rest[..(rest.Length - tail.Length)]).Trim();
            var consumed = rest.Length - tail.Length;
            rest = tail;
            using (statement)
            {
                if (rc != raw.SQLITE_OK)
                {
                    throw new StatementFailedException(number + 1, text, Error(db, rc));
                }

                if (statement is null || statement.IsInvalid)
                {
                    // Only comments or white space were left.
                    if (consumed == 0)
                    {
                        break;
                    }

                    continue;
                }

                number++;
                before?.Invoke(text);
                while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                }

                if (rc != raw.SQLITE_DONE)
                {
                    throw new StatementFailedException(number, text, Error(db, rc));
                }
            }
        }
    }

    /// <summary>The statement without the comments and white space before it (a rebuild's statements carry a
    /// comment line), for classifying it and for messages.</summary>
    public static string WithoutLeadingComments(string statement)
    {
        var text = statement.TrimStart();
        while (true)
        {
            if (text.StartsWith("--", StringComparison.Ordinal))
            {
                var end = text.IndexOf('\n', StringComparison.Ordinal);
                text = end < 0 ? string.Empty : text[(end + 1)..].TrimStart();
            }
            else if (text.StartsWith("/*", StringComparison.Ordinal))
            {
                var end = text.IndexOf("*/", StringComparison.Ordinal);
                text = end < 0 ? string.Empty : text[(end + 2)..].TrimStart();
            }
            else
            {
                return text;
            }
        }
    }

    /// <summary>True for <c>ALTER TABLE .. RENAME TO</c> and <c>RENAME [COLUMN]</c>, which SQLite applies to
    /// the views and triggers that mention the table or column, and for <c>DROP INDEX</c>, which no view or
    /// trigger mentions: a migration file starts with these, before any statement views could not survive.</summary>
    public static bool KeepsViewsAndTriggers(string statement) => LeadingStatement().IsMatch(WithoutLeadingComments(statement));

    /// <summary>SQLite's own words (sqlite3_errmsg), without the "SQLite Error 1: '...'." that
    /// <see cref="SqliteException"/> wraps them in, for a message that quotes them.</summary>
    public static string Reason(SqliteException error)
    {
        if (error.Data["reason"] is string reason)
        {
            return reason;
        }

        var message = error.Message;
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = message.LastIndexOf('\'', message.Length - 1);
        return start >= 0 && end > start ? message[(start + 1)..end] : message;
    }

    private static SqliteException Error(sqlite3 db, int rc)
    {
        var message = raw.sqlite3_errmsg(db).utf8_to_string();
        var error = new SqliteException($"SQLite Error {rc}: '{message}'.", rc, raw.sqlite3_extended_errcode(db));
        error.Data["reason"] = message;
        return error;
    }

    [GeneratedRegex("""^(ALTER\s+TABLE\s+("(?:[^"]|"")*"|\S+)\s+RENAME\s|DROP\s+INDEX\s)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingStatement();
}

/// <summary>Statement <see cref="Number"/> of a script failed; <see cref="Exception.InnerException"/> is SQLite's error.</summary>
internal sealed class StatementFailedException(int number, string statement, SqliteException error)
    : Exception($"Statement {number} failed: {error.Message}", error)
{
    public int Number { get; } = number;

    public string Statement { get; } = statement;

    public SqliteException Error { get; } = error;

    /// <summary>SQLite's own words (sqlite3_errmsg), without the wrapping of <see cref="SqliteException"/>'s message.</summary>
    public string Reason => SqliteStatements.Reason(Error);
}

using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sqlite;

/// <summary>
/// Turns a <see cref="SqliteException"/> into a <see cref="FilixException"/> that says what failed, in which file
/// and table, and what to do. The SQLite exception stays as the inner exception. Codes are SQLite's (extended)
/// result codes: https://sqlite.org/rescode.html.
/// </summary>
internal static class SqliteErrors
{
    /// <summary>A failure while opening <paramref name="path"/>.</summary>
    public static FilixException Open(SqliteException ex, string path)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.SqliteErrorCode switch
        {
            26 => new FilixException($"'{path}' is not a SQLite database (or it is encrypted or badly damaged). Nothing was written to it. Check the path; if it is a damaged Filix database, restore it from a backup.", path, ex),
            11 => new FilixException($"'{path}' is corrupt (SQLite: {ex.Message}). Nothing was written to it. Restore it from a backup.", path, ex),
            14 => new FilixException($"Cannot open '{path}': {ex.Message}. Check that the folder exists and this user may read and write it.", path, ex),
            13 => new FilixException($"Opening '{path}' failed: the disk is full ({ex.Message}). Nothing was changed: a migration that was running was rolled back, and the data is as it was. Free some space (a migration needs about as much free space as the tables it changes) and open it again.", path, ex),
            8 or 23 => new FilixException($"Cannot write to '{path}': permission denied or read-only file system ({ex.Message}). Check the file's permissions.", path, ex),
            5 or 6 => new FilixException($"Opening '{path}' failed: {Locked(ex)}", path, ex),
            _ => new FilixException($"Opening '{path}' failed: {ex.Message} (SQLite error {ex.SqliteErrorCode}).", path, ex),
        };
    }

    /// <summary>A failure of one write to <paramref name="path"/>; the write's savepoint was rolled back.</summary>
    public static FilixException Write(SqliteException ex, string path)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return new FilixException($"Writing to '{path}' failed; nothing from this write was stored. {Cause(ex)}", path, ex);
    }

    /// <summary>
    /// A failure of the transaction a batch of writes shares (<paramref name="what"/>: starting or committing it):
    /// every write of the batch fails with this one exception, and none of them was stored.
    /// </summary>
    public static FilixException Batch(string what, SqliteException ex, string path)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return new FilixException($"{what} on '{path}' failed. Nothing of these writes was stored. {Cause(ex)}", path, ex);
    }

    /// <summary>What went wrong in a write or a commit, and what to do about it.</summary>
    private static string Cause(SqliteException ex)
    {
        var detail = Detail(ex);
        return ex.SqliteExtendedErrorCode switch
        {
            1555 => $"A row with the same primary key already exists ({detail}). Use Upsert to replace it or Update to change it.",
            2067 => $"Another row already has this value in a unique column ({detail}). Unique values may appear in one row only.",
            787 => "A foreign key check failed: the write refers to a row that does not exist, or deletes a row that others still refer to. " +
                   "Write the referenced row first (or earlier in the same batch), or delete the referring rows first. " +
                   "Rows that refer to each other (a cycle) cannot be written one after the other: write them as one unit, whose keys are checked at its end " +
                   "(FilixDatabase.WriteTogetherAsync(table.InsertStatement(a), other.InsertStatement(b))).",
            1299 => $"A required column was given no value ({detail} is NOT NULL). Set it, or declare the column 'nullable: true'.",
            275 => $"A value breaks a column's CHECK ({detail}): json columns hold valid JSON text, boolean columns 0 or 1.",
            3091 => $"A value has the wrong type for a STRICT column ({detail}). Bind the column's declared type.",
            _ => ex.SqliteErrorCode switch
            {
                5 or 6 => Locked(ex),
                8 => $"The database is read-only ({ex.Message}). Check the file's permissions, and that the write did not go through a read connection.",
                10 => $"An I/O error ({ex.Message}). Check the disk and the file system, then retry.",
                13 => $"The disk is full ({ex.Message}). Free some space and retry.",
                _ => $"{ex.Message} (SQLite error {ex.SqliteExtendedErrorCode}).",
            },
        };
    }

    /// <summary>SQLITE_BUSY / SQLITE_LOCKED. Filix writers queue on the lock file, so the holder is usually another
    /// tool, or another Filix process migrating the file (migrations wait on SQLite's lock, not the lock file).</summary>
    private static string Locked(SqliteException ex) =>
        $"The database stayed locked by another connection for longer than busy_timeout ({ex.Message}). " +
        "A long transaction in another process holds the lock (a sqlite3 shell, a backup, another program migrating this file); finish it and retry, or raise FilixOptions.BusyTimeout.";

    /// <summary>What SQLite names after "constraint failed: " (<c>things.code</c>) or, for a STRICT type error,
    /// its whole text; the plain message otherwise.</summary>
    private static string Detail(SqliteException ex)
    {
        const string Marker = "constraint failed: ";
        var text = ex.Message;
        var quote = text.IndexOf('\'', StringComparison.Ordinal);
        if (quote >= 0 && text.LastIndexOf('\'') > quote)
        {
            text = text[(quote + 1)..text.LastIndexOf('\'')];
        }

        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        return at >= 0 ? text[(at + Marker.Length)..] : text;
    }
}

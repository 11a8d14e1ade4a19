using System.Diagnostics;
using Filix.Runtime.Backups;
using Microsoft.Win32.SafeHandles;

namespace Filix.Runtime.Health;

/// <summary>The checks that read the database's files directly (<see cref="HealthCheck.Quick"/>). A clean open
/// reads the 100-byte header and looks for three side files: a few stat calls and one read.</summary>
internal static class FileChecks
{
    public static DatabaseHealth Inspect(string path)
    {
        var started = Stopwatch.GetTimestamp();
        var health = new DatabaseHealth(path, []);
        var wal = path + "-wal";
        var shm = path + "-shm";
        var journal = path + "-journal";
        var database = new FileInfo(path);
        if (!database.Exists)
        {
            return HealthCheck.Timed(Orphans(health, wal, shm, journal), started);
        }

        var walFile = new FileInfo(wal);
        var walLength = walFile.Exists ? walFile.Length : -1;
        DatabaseHeader? header = null;
        if (database.Length == 0)
        {
            health = Empty(health, walLength);
        }
        else
        {
            (health, header) = ReadHeader(health, path);
        }

        if (health.Problems.Count > 0)
        {
            return HealthCheck.Timed(health, started);
        }

        // Who else has it open decides what a -wal means: live (another process writes it) or left by a crash.
        var holders = walLength >= 0 || File.Exists(shm) ? ShmHolders.OtherProcessHolds(shm) : false;
        health = health with { OpenElsewhere = holders == true };
        if (walLength >= 0 && holders != true)
        {
            health = health with { UncleanClose = true };
            if (holders is null)
            {
                health = health.WithNote("Whether another process has the database open cannot be told on this system: its WAL is checked as if the last close was not clean.");
            }

            health = CheckWal(health, wal, shm, walLength, header?.PageSize ?? 0, scanFrames: holders == false);
        }

        var journalLength = File.Exists(journal) ? new FileInfo(journal).Length : -1;
        if (journalLength > 0 && holders != true && IsHot(journal))
        {
            health = health with { UncleanClose = true };
        }

        // The file's length against its header only when the file alone is the database: with a WAL, a checkpoint
        // cut short may have written page 1 before the pages past the old end, and the WAL still holds them.
        if (header is { PagesValid: true } h && walLength <= 0 && journalLength < 0 && holders != true)
        {
            var expected = (long)h.Pages * h.PageSize;
            if (database.Length < expected || database.Length % h.PageSize != 0)
            {
                health = health.With(new HealthProblem(
                    HealthProblemKind.Truncated, path,
                    $"The database '{path}' is truncated: its header says {h.Pages} pages of {h.PageSize} bytes ({expected:N0} bytes), but the file has {database.Length:N0} bytes{(database.Length % h.PageSize != 0 ? ", ending in a partial page" : string.Empty)}.",
                    "Rows on the missing pages are gone; the rest can still be read. Restore the database from its last verified backup."));
            }
        }

        return HealthCheck.Timed(health, started);
    }

    /// <summary>A WAL, shared-memory or journal file whose database is gone: the database was moved or deleted while
    /// (or after) it was in use. Opening would create a new, empty database that adopts the WAL's pages.</summary>
    private static DatabaseHealth Orphans(DatabaseHealth health, string wal, string shm, string journal)
    {
        var path = health.Path;
        if (File.Exists(wal))
        {
            return health.With(new HealthProblem(
                HealthProblemKind.OrphanWal, wal,
                $"The WAL '{wal}' ({new FileInfo(wal).Length:N0} bytes) exists but its database '{path}' does not: the database was moved or deleted, and the WAL may hold its last writes. Filix will not create a new database beside it (SQLite would replay the WAL into it).",
                $"Put the database back beside it (or restore it from its last verified backup), or, if the data is not needed, move '{wal}' and '{shm}' away; then open again."));
        }

        if (File.Exists(journal) && new FileInfo(journal).Length > 0)
        {
            return health.With(new HealthProblem(
                HealthProblemKind.OrphanJournal, journal,
                $"The rollback journal '{journal}' exists but its database '{path}' does not: the database was moved or deleted in the middle of a write.",
                $"Put the database back beside it (SQLite then rolls the interrupted write back), or, if the data is not needed, move '{journal}' away; then open again."));
        }

        if (File.Exists(shm))
        {
            return health.With(new HealthProblem(
                HealthProblemKind.OrphanShm, shm,
                $"The shared-memory file '{shm}' exists but its database '{path}' and WAL do not: the database was moved or deleted while it was open.",
                $"Put the database back (or restore it from its last verified backup), or, if starting empty is intended, delete '{shm}'; then open again."));
        }

        return health.WithNote($"'{path}' does not exist (yet): opening creates it.");
    }

    /// <summary>
    /// A zero-length file. SQLite takes it for an empty database and Filix would create its tables in it, which is right
    /// for a file whose creation stopped before its first write (nothing was in it) and wrong for a database that
    /// lost its contents (a failed copy, a file system that lost data on power loss): then backups of it exist, and
    /// adopting it would hide the loss. A WAL beside it holds the pages, as for a new database not yet checkpointed.
    /// </summary>
    private static DatabaseHealth Empty(DatabaseHealth health, long walLength)
    {
        if (walLength > WalFile.HeaderLength)
        {
            return health;
        }

        if (BackupCatalog.LatestVerified(health.Path) is { } backup)
        {
            return health.With(new HealthProblem(
                HealthProblemKind.EmptyFile, health.Path,
                $"The database '{health.Path}' is empty (0 bytes), but it had data: a verified backup of it was taken {backup.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC. Its contents were lost (a failed copy, a full disk, a file system that lost data); Filix will not start it afresh.",
                "Restore it from its last verified backup, or, to start with an empty database, delete the file."));
        }

        return health.WithNote($"'{health.Path}' is empty (0 bytes) and no backup of it exists: it is taken as a new database whose creation stopped before its first write.");
    }

    private static (DatabaseHealth, DatabaseHeader?) ReadHeader(DatabaseHealth health, string path)
    {
        Span<byte> bytes = stackalloc byte[DatabaseHeader.Length];
        int read;
        using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = RandomAccess.Read(file, bytes, 0);
        }

        if (!DatabaseHeader.HasMagic(bytes[..read]))
        {
            return (health.With(new HealthProblem(
                HealthProblemKind.NotSqlite, path,
                $"'{path}' is not a SQLite database: it does not start with SQLite's header (\"SQLite format 3\"). Nothing was written to it.",
                "Check the path or the --data folder; if this is a damaged Filix database, restore it from its last verified backup.")), null);
        }

        var header = DatabaseHeader.Parse(bytes[..read], out var problem);
        return header is null
            ? (health.With(new HealthProblem(
                HealthProblemKind.BadHeader, path,
                $"The database '{path}' has a damaged header: {problem}. SQLite cannot read it. Nothing was written to it.",
                "Restore it from its last verified backup.")), null)
            : (health, header);
    }

    private static DatabaseHealth CheckWal(DatabaseHealth health, string wal, string shm, long length, int pageSize, bool scanFrames)
    {
        Span<byte> header = stackalloc byte[WalFile.HeaderLength];
        using var file = File.OpenHandle(wal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var read = RandomAccess.Read(file, header, 0);
        if (read < WalFile.HeaderLength)
        {
            return health;
        }

        if (WalFile.CheckHeader(wal, header, length, pageSize) is { } problem)
        {
            return health.With(problem);
        }

        if (scanFrames)
        {
            if (WalFile.CheckFrames(wal, file, header, length, out var partial) is { } damaged)
            {
                health = health.With(damaged);
            }

            if (partial)
            {
                health = health.WithNote($"The WAL '{wal}' ends in a partial frame (a write cut short by a crash): SQLite ignores it, and the transaction it belonged to was never committed.");
            }
        }

        return StaleShm(health, shm, header);
    }

    /// <summary>
    /// Whether a rollback journal holds a transaction to roll back: it starts with the journal magic
    /// (https://www.sqlite.org/fileformat2.html#the_rollback_journal). A committed transaction leaves it deleted, or,
    /// in <c>locking_mode=EXCLUSIVE</c> (the unsafe-file-system mode), in place with its header zeroed: not hot.
    /// </summary>
    private static bool IsHot(string journal)
    {
        ReadOnlySpan<byte> magic = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
        Span<byte> head = stackalloc byte[8];
        using var file = File.OpenHandle(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return RandomAccess.Read(file, head, 0) == head.Length && head.SequenceEqual(magic);
    }

    /// <summary>A <c>-shm</c> whose salts are not the WAL's was written for another WAL (copied files, a restored WAL).
    /// Not a problem: with no process holding it, SQLite rebuilds it from the WAL on the next open.</summary>
    private static DatabaseHealth StaleShm(DatabaseHealth health, string shm, ReadOnlySpan<byte> walHeader)
    {
        if (!File.Exists(shm))
        {
            return health;
        }

        Span<byte> index = stackalloc byte[48];
        using (SafeFileHandle file = File.OpenHandle(shm, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (RandomAccess.Read(file, index, 0) < index.Length)
            {
                return health;
            }
        }

        // WalIndexHdr: isInit at 12, aSalt[2] at 32 (copied byte for byte from the WAL header's salts at 16).
        return index[12] != 0 && !index.Slice(32, 8).SequenceEqual(walHeader.Slice(16, 8))
            ? health.WithNote($"The shared-memory file '{shm}' was written for another WAL than '{shm[..^4]}-wal' (its salts differ); SQLite rebuilds it from the WAL on open, so nothing is lost.")
            : health;
    }
}

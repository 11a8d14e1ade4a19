using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Backups;

/// <summary>
/// Takes a backup of a live database: a consistent snapshot (<see cref="SnapshotCopy"/>) into a temporary file in
/// the backups folder, verified (<see cref="BackupVerifier"/>), compressed and read back
/// (<see cref="BackupFile"/>), renamed into place, the folder fsynced, and only then listed in the manifest. Older
/// backups are pruned by the retention policy after that. Nothing of a failed backup stays: the temporary files are
/// deleted, the manifest is unchanged, and the database is never written (the source is opened read-only).
/// </summary>
public static class FilixBackup
{
    /// <summary>Takes a backup of <paramref name="databasePath"/> on a thread of its own (it is file and SQLite
    /// work, seconds to minutes; nothing in it is asynchronous), at a lower CPU priority than the writers
    /// (<see cref="BackgroundPriority"/>) unless <see cref="BackupOptions.Background"/> is off.</summary>
    public static Task<BackupEntry> TakeAsync(string databasePath, BackupOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(
            () =>
            {
                using var priority = (options ?? BackupOptions.Default).Background ? BackgroundPriority.Enter() : null;
                return Take(databasePath, options, cancellationToken);
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    /// <summary>Takes a backup of <paramref name="databasePath"/> and returns its manifest entry.</summary>
    /// <exception cref="FilixException">The database is missing, the copy failed its check, or the disk is full;
    /// the message says which and what to do. No backup is listed then.</exception>
    public static BackupEntry Take(string databasePath, BackupOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= BackupOptions.Default;
        var path = Path.GetFullPath(databasePath);
        if (!File.Exists(path))
        {
            throw new FilixException($"Cannot back up '{path}': there is no such database. Check --data and --domain.", path);
        }

        var folder = BackupCatalog.FolderOf(path);
        Directory.CreateDirectory(folder);
        using var folderLock = BackupLock.Acquire(folder, cancellationToken);
        RemoveLeftovers(folder);
        CheckSpace(path, folder);

        var copy = DurableFile.TempName(Path.Combine(folder, BackupCatalog.NameOf(path) + ".db"));
        var packed = DurableFile.TempName(Path.Combine(folder, BackupCatalog.NameOf(path) + ".db.gz"));
        string? placed = null;
        try
        {
            var takenAt = SnapshotCopy.Copy(path, copy, options, cancellationToken);
            var check = BackupVerifier.Verify(copy);
            if (!check.Ok)
            {
                throw new FilixException(
                    $"The backup of '{path}' was not kept: its copy fails SQLite's integrity check ({check.Integrity}). The copy is a page-for-page image, " +
                    $"so the database itself is damaged: run 'filix check --domain {BackupCatalog.NameOf(path)}' and restore the last good backup ({BackupCatalog.RestoreCommand(path)}).",
                    path);
            }

            var databaseBytes = new FileInfo(copy).Length;
            var (bytes, sha, rawSha) = BackupFile.Compress(copy, packed, cancellationToken);
            if (BackupFile.Decompress(packed, null, cancellationToken) != rawSha)
            {
                throw new FilixException($"The backup of '{path}' was not kept: the compressed file read back differs from the verified copy (the disk under '{folder}' returns other bytes than were written). Check the disk.", path);
            }

            var target = BackupCatalog.FileFor(path, takenAt);
            File.Move(packed, target, overwrite: false);
            placed = target;
            DurableFile.SyncFolder(folder);
            var entry = new BackupEntry(takenAt, target, bytes, Verified: true, check.RowCounts)
            {
                Integrity = check.Integrity,
                SchemaHash = check.SchemaHash,
                Reason = options.Reason,
                Method = options.Method == BackupMethod.VacuumInto ? "vacuum-into" : "backup-api",
                DatabaseBytes = databaseBytes,
                Sha256 = sha,
            };
            var listed = BackupManifest.Read(BackupCatalog.ManifestOf(path)).Append(entry).ToList();
            BackupManifest.Write(BackupCatalog.ManifestOf(path), listed);
            placed = null;
            if (options.Retention is { } retention)
            {
                Prune(path, listed, retention.ToDelete(listed, options.Clock.GetUtcNow()));
            }

            return entry;
        }
        catch (Exception ex) when (IsDiskFull(ex))
        {
            throw new FilixException(
                $"The backup of '{path}' failed: writing to '{folder}' was refused, the disk is full or a file size limit (ulimit -f) was reached ({Describe(ex)}; {FreeSpace(folder)} free, the database is {Size(new FileInfo(path).Length)}). " +
                "Nothing was listed and the database is untouched. Free space there (the oldest backups 'filix backups' lists can go), then run 'filix backup' again.",
                path, ex);
        }
        catch (SqliteException ex)
        {
            throw new FilixException($"The backup of '{path}' failed: SQLite says \"{ex.Message}\". Nothing was listed and the database is untouched.", path, ex);
        }
        finally
        {
            if (placed is not null)
            {
                DurableFile.TryDelete(placed);
            }

            foreach (var suffix in new[] { "", "-journal", "-wal", "-shm" })
            {
                DurableFile.TryDelete(copy + suffix);
            }

            DurableFile.TryDelete(packed);
        }
    }

    /// <summary>Deletes <paramref name="doomed"/>: first from the manifest (so no listed entry ever names a missing
    /// file), then their files.</summary>
    private static void Prune(string databasePath, List<BackupEntry> listed, IReadOnlyList<BackupEntry> doomed)
    {
        if (doomed.Count == 0)
        {
            return;
        }

        var gone = new HashSet<BackupEntry>(doomed, ReferenceEqualityComparer.Instance);
        BackupManifest.Write(BackupCatalog.ManifestOf(databasePath), listed.Where(e => !gone.Contains(e)));
        foreach (var entry in doomed)
        {
            DurableFile.TryDelete(entry.File);
        }
    }

    /// <summary>Applies <paramref name="policy"/> to the backups of <paramref name="databasePath"/> now, as a backup
    /// does after it is listed; returns what was deleted.</summary>
    public static IReadOnlyList<BackupEntry> Prune(string databasePath, RetentionPolicy policy, DateTimeOffset now)
    {
        var folder = BackupCatalog.FolderOf(databasePath);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        using var folderLock = BackupLock.Acquire(folder, CancellationToken.None);
        var listed = BackupManifest.Read(BackupCatalog.ManifestOf(databasePath)).ToList();
        var doomed = policy.ToDelete(listed, now);
        Prune(databasePath, listed, doomed);
        return doomed;
    }

    /// <summary>Temporary files of a backup that died (killed, power cut): only the lock holder writes them, so
    /// any present now is dead.</summary>
    private static void RemoveLeftovers(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, ".*"))
        {
            if (Path.GetFileName(file).Contains(".tmp", StringComparison.Ordinal))
            {
                DurableFile.TryDelete(file);
            }
        }
    }

    /// <summary>Refuses up front when the uncompressed copy alone could not fit.</summary>
    private static void CheckSpace(string path, string folder)
    {
        var size = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        long free;
        try
        {
            free = new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return; // unknown: the copy itself will say
        }

        if (free < size)
        {
            throw new FilixException(
                $"Cannot back up '{path}': the disk holding '{folder}' has {Size(free)} free, and the backup needs about {Size(size)} while it is made " +
                "(an uncompressed copy, then the compressed file). Nothing was written and the database is untouched. Free space there, then run 'filix backup' again.",
                path);
        }
    }

    internal static bool IsDiskFull(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 13 } => true, // SQLITE_FULL
        SqliteException sqlite when sqlite.SqliteExtendedErrorCode is 778 or 3338 or 4874 => true, // IOERR_WRITE / FSYNC / TRUNCATE: EFBIG or ENOSPC underneath
        IOException io when (io.HResult & 0xFFFF) is 28 or 27 => true, // ENOSPC, EFBIG
        IOException io => io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || io.Message.Contains("File too large", StringComparison.OrdinalIgnoreCase),
        _ => ex.InnerException is { } inner && IsDiskFull(inner),
    };

    private static string Describe(Exception ex) => ex is SqliteException sqlite ? "SQLite: " + sqlite.Message.TrimEnd('.') : ex.Message.TrimEnd('.');

    private static string FreeSpace(string folder)
    {
        try
        {
            return Size(new DriveInfo(folder).AvailableFreeSpace);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    internal static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}

using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Backups.Restore;

/// <summary>
/// Puts a backup back in place of a database: refuses while any process has the database open (naming it), checks
/// the backup (its recorded SHA-256, gzip's own CRC, <c>integrity_check</c> on the decompressed copy) before
/// anything is touched, moves the current file and its -wal and -shm aside under a timestamped name (never
/// overwritten or deleted), counts what the restore undoes, parks for a pull the shared rows the upstream still has
/// (<see cref="SyncRecovery"/>), and renames the checked copy into place.
/// </summary>
public static class FilixRestore
{
    /// <summary>Restores <paramref name="backupFile"/>, or with null the newest verified backup that passes its
    /// checks, over <paramref name="databasePath"/>.</summary>
    /// <exception cref="FilixException">Another process has the database open; the backup named is corrupted (the
    /// message names the next good one); or there is no good backup. Nothing was changed then.</exception>
    public static RestoreReport Restore(string databasePath, string? backupFile = null, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        clock ??= TimeProvider.System;
        var path = Path.GetFullPath(databasePath);
        var name = BackupCatalog.NameOf(path);
        var listed = BackupCatalog.List(path);
        RefuseIfOpen(path);

        var folder = Path.GetDirectoryName(path)!;
        var copy = DurableFile.TempName(Path.Combine(folder, name + ".db.restore"));
        var skipped = new List<(BackupEntry, string)>();
        try
        {
            var chosen = backupFile is null
                ? ChooseLatest(path, listed, copy, skipped, cancellationToken)
                : CheckNamed(path, Resolve(path, backupFile), listed, copy, cancellationToken);

            // What the restore loses is counted before the swap, reading the replaced files where they are (read-only),
            // so that the swap itself is a few renames: a restore killed in the middle leaves the path without a
            // database only for that instant, not for the length of a comparison of every table.
            var losses = LossReport.NothingToCompare("there was no database file to replace");
            if (File.Exists(path))
            {
                var (report, recoverable) = LossComparison.Compare(path, copy);
                losses = report;
                SyncRecovery.Park(copy, recoverable, clock.GetUtcNow());
            }

            // Checked again just before the swap: a process may have opened the database while the copy was checked.
            RefuseIfOpen(path);
            var stamp = clock.GetUtcNow().UtcDateTime.ToString(BackupCatalog.TimeFormat, CultureInfo.InvariantCulture);
            var aside = MoveAside(path, stamp);
            File.Move(copy, path, overwrite: false);
            DurableFile.SyncFolder(folder);
            return new RestoreReport { Database = path, Backup = chosen, Skipped = skipped, KeptAside = aside, Losses = losses };
        }
        finally
        {
            foreach (var suffix in new[] { "", "-journal", "-wal", "-shm" })
            {
                DurableFile.TryDelete(copy + suffix);
            }
        }
    }

    private static BackupEntry ChooseLatest(string path, IReadOnlyList<BackupEntry> listed, string copy, List<(BackupEntry, string)> skipped, CancellationToken cancellationToken)
    {
        foreach (var entry in listed.Where(e => e.Verified))
        {
            var problem = Check(entry.File, entry, copy, cancellationToken);
            if (problem is null)
            {
                return entry;
            }

            skipped.Add((entry, problem));
        }

        var tried = skipped.Count == 0 ? "" : " (" + string.Join("; ", skipped.Select(s => $"{s.Item1.FileName}: {s.Item2}")) + ")";
        throw new FilixException(
            $"There is no good backup of '{path}' in '{BackupCatalog.FolderOf(path)}'{tried}. Nothing was changed. " +
            "If the database still opens, take one now with 'filix backup'; otherwise copy its data out with the sqlite3 shell's .recover.", path);
    }

    private static BackupEntry CheckNamed(string path, string file, IReadOnlyList<BackupEntry> listed, string copy, CancellationToken cancellationToken)
    {
        var entry = listed.FirstOrDefault(e => string.Equals(e.File, file, StringComparison.Ordinal));
        var problem = Check(file, entry, copy, cancellationToken);
        if (problem is null)
        {
            return entry ?? new BackupEntry(File.GetLastWriteTimeUtc(file), file, new FileInfo(file).Length, true, new Dictionary<string, long>()) { Reason = "not in the manifest" };
        }

        var next = listed.Where(e => e.Verified && e.File != file && File.Exists(e.File)).FirstOrDefault(e => QuickCheck(e) is null);
        var advice = next is null
            ? "There is no other good backup listed in the manifest."
            : $"The next good one is {BackupManifest.Describe(next)}: filix restore {next.File} --domain {BackupCatalog.NameOf(path)} --data {Path.GetDirectoryName(path)}";
        throw new FilixException($"Refusing to restore '{file}': the backup is corrupted ({problem}). Nothing was changed. {advice}", file);
    }

    /// <summary>Checks a backup fully, leaving the checked database at <paramref name="copy"/>; null when good.</summary>
    private static string? Check(string file, BackupEntry? entry, string copy, CancellationToken cancellationToken)
    {
        foreach (var suffix in new[] { "", "-journal" })
        {
            DurableFile.TryDelete(copy + suffix);
        }

        if (entry is not null && QuickCheck(entry) is { } quick)
        {
            return quick;
        }

        if (!File.Exists(file))
        {
            return "the file is missing";
        }

        try
        {
            BackupFile.Decompress(file, copy, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return "it is not a complete gzip file: " + ex.Message.TrimEnd('.');
        }
        catch (EndOfStreamException)
        {
            return "it is truncated";
        }

        var check = BackupVerifier.Verify(copy);
        return check.Ok ? null : "the database inside fails SQLite's integrity check: " + check.Integrity;
    }

    /// <summary>The file is there and still has the bytes the manifest recorded.</summary>
    private static string? QuickCheck(BackupEntry entry)
    {
        if (!File.Exists(entry.File))
        {
            return "the file is missing";
        }

        if (entry.Sha256.Length > 0 && BackupFile.HashOf(entry.File) != entry.Sha256)
        {
            return "its SHA-256 differs from the one recorded when it was taken: the file changed on disk since";
        }

        return null;
    }

    private static string Resolve(string path, string backupFile)
    {
        if (File.Exists(backupFile))
        {
            return Path.GetFullPath(backupFile);
        }

        var inFolder = Path.Combine(BackupCatalog.FolderOf(path), Path.GetFileName(backupFile));
        return File.Exists(inFolder)
            ? inFolder
            : throw new FilixException($"There is no backup file '{backupFile}' (nor '{inFolder}'). 'filix backups --domain {BackupCatalog.NameOf(path)}' lists them.", backupFile);
    }

    private static void RefuseIfOpen(string path)
    {
        var open = OpenHandles.Of(path);
        if (open.Count > 0)
        {
            throw new FilixException(
                $"Refusing to restore '{path}' while it is open: " +
                string.Join("; ", open.Select(o => o.ProcessId == 0 ? o.CommandLine : $"process {o.ProcessId} ({o.CommandLine}) has {Path.GetFileName(o.File)} open")) +
                ". Stop those processes (the sync daemon, the app), then run the restore again. Nothing was changed.",
                path);
        }
    }

    /// <summary>Renames the database and its companions to <c>&lt;file&gt;.damaged-&lt;time&gt;</c> (the -wal and -shm keep
    /// their suffix after it, so the set still opens together). Never replaces an existing file.</summary>
    private static List<string> MoveAside(string path, string stamp)
    {
        var moved = new List<string>();
        var aside = $"{path}.damaged-{stamp}";
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, aside + suffix, overwrite: false);
                moved.Add(aside + suffix);
            }
        }

        DurableFile.SyncFolder(Path.GetDirectoryName(path)!);
        return moved;
    }
}

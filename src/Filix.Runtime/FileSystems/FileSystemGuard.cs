namespace Filix.Runtime.FileSystems;

/// <summary>
/// The decision made before a database is opened for writing: WAL on a safe file system; on an unsafe one, a
/// refusal that says why and what to do, or (with <see cref="FilixOptions.UnsafeFileSystem"/>) SQLite's rollback
/// journal with this process holding the file alone. See docs/reliability/filesystems.md.
/// </summary>
internal static class FileSystemGuard
{
    /// <summary>Turns the override on for a process whose code cannot set the option (the filix CLI):
    /// <c>FILIX_UNSAFE_FILESYSTEM=exclusive-rollback-journal</c>. It only ever relaxes <see cref="UnsafeFileSystemMode.Refuse"/>.</summary>
    public const string EnvironmentVariable = "FILIX_UNSAFE_FILESYSTEM";

    /// <summary>What <see cref="Admit"/> decided for one database.</summary>
    /// <param name="FileSystem">The file system of the database's folder.</param>
    /// <param name="ExclusiveRollbackJournal">True when the database runs in <c>journal_mode=DELETE</c> with
    /// <c>locking_mode=EXCLUSIVE</c> on its one connection (an unsafe file system and the override).</param>
    internal sealed record Admission(MountedFileSystem FileSystem, bool ExclusiveRollbackJournal)
    {
        /// <summary>The options the database then runs with: no writer shared over a socket beside the file, no
        /// lock file beside it. The one process that holds the file is the only writer, so neither has anything to
        /// coordinate, and neither works between machines anyway (a Unix socket on a share reaches no other host).</summary>
        public FilixOptions Apply(FilixOptions options) =>
            ExclusiveRollbackJournal ? options with { ShareWriter = false, CrossProcessWriteLock = false } : options;
    }

    /// <summary>Decides how <paramref name="databasePath"/> may be opened for writing. Creates nothing.</summary>
    /// <exception cref="FilixException">The folder is on an unsafe file system and the override is not set (or the
    /// folder cannot be probed, or the environment variable holds an unknown value).</exception>
    public static Admission Admit(string databasePath, FilixOptions options)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(databasePath)) ?? ".";
        var fileSystem = MountedFileSystem.Of(folder);
        if (fileSystem.IsSafeForWal)
        {
            return new Admission(fileSystem, ExclusiveRollbackJournal: false);
        }

        return Mode(options, databasePath) == UnsafeFileSystemMode.ExclusiveRollbackJournal
            ? new Admission(fileSystem, ExclusiveRollbackJournal: true)
            : throw Refusal(databasePath, fileSystem);
    }

    /// <summary>The option, or when it is left at <see cref="UnsafeFileSystemMode.Refuse"/> the environment variable.</summary>
    public static UnsafeFileSystemMode Mode(FilixOptions options, string databasePath)
    {
        if (options.UnsafeFileSystem != UnsafeFileSystemMode.Refuse)
        {
            return options.UnsafeFileSystem;
        }

        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return UnsafeFileSystemMode.Refuse;
        }

        return value.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).Trim().ToLowerInvariant() switch
        {
            "exclusiverollbackjournal" => UnsafeFileSystemMode.ExclusiveRollbackJournal,
            "refuse" => UnsafeFileSystemMode.Refuse,
            _ => throw new FilixException(
                $"The environment variable {EnvironmentVariable} is '{value}', which Filix does not know. Set it to 'exclusive-rollback-journal' (or 'refuse', the default) or remove it. '{databasePath}' was not opened.",
                databasePath),
        };
    }

    /// <summary>What, where, why (with SQLite's own documentation) and what to do.</summary>
    internal static FilixException Refusal(string databasePath, MountedFileSystem fileSystem)
    {
        var folder = fileSystem.Folder.Length > 0 ? fileSystem.Folder : Path.GetDirectoryName(databasePath);
        return new FilixException(
            $"Filix refuses to open '{databasePath}' for writing: its folder '{folder}' is on {fileSystem.Describe()}, and {fileSystem.Concern}. " +
            "A database in WAL mode, as Filix keeps it, needs both: \"WAL does not work over a network filesystem\" and all processes using it must be on the same host (https://www.sqlite.org/wal.html); " +
            "file systems with broken or missing lock implementations corrupt databases (https://www.sqlite.org/howtocorrupt.html section 2.1, https://www.sqlite.org/lockingv3.html#how_to_corrupt). " +
            "Nothing was created or changed. " +
            "What to do: move the data folder to a local disk of the machine that writes it, and give every other machine its own copy through `filix sync` (each machine writes its own local database and the upstream merges them; see docs/sync.md). " +
            $"Only if this one process will be the only user of the file: open it with FilixOptions.UnsafeFileSystem = UnsafeFileSystemMode.ExclusiveRollbackJournal (for the filix CLI, set {EnvironmentVariable}=exclusive-rollback-journal), " +
            "which uses journal_mode=DELETE and holds the file exclusively until it closes: slower, and no other process or machine can read it meanwhile (docs/reliability/filesystems.md).",
            databasePath);
    }
}

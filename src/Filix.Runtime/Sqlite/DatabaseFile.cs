using System.Runtime.InteropServices;

namespace Filix.Runtime.Sqlite;

/// <summary>The checks on a database path made before SQLite sees it, so that a wrong path gets a message that
/// says what to do instead of SQLite's "unable to open database file".</summary>
internal static partial class DatabaseFile
{
    /// <summary>The files Filix keeps beside a database (besides SQLite's own -wal and -shm): the write lock the
    /// writers of all processes take per batch, the lock held by the process that owns the shared writer, and that
    /// writer's socket.</summary>
    public static string LockFile(string databasePath) => databasePath + "-filix.lock";

    public static string OwnerFile(string databasePath) => databasePath + "-filix.owner";

    public static string SocketFile(string databasePath) => databasePath + "-filix.sock";

    /// <exception cref="FilixException">The path is a folder, or the file is missing and may not be created, or
    /// its folder is missing.</exception>
    public static void Check(string path, string fileName, bool createIfMissing)
    {
        if (Directory.Exists(path))
        {
            throw new FilixException($"'{path}' is a folder, not a database file. Give the path of a .db file (for example {Path.Combine(path, fileName)}).", path);
        }

        if (!File.Exists(path) && !createIfMissing)
        {
            throw new FilixException($"The database '{path}' does not exist, and creating it was not allowed (CreateIfMissing = false). Check the path or the --data folder.", path);
        }

        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            throw new FilixException($"Cannot create '{path}': the folder '{folder}' does not exist. Create it first, or choose another --data folder.", path);
        }

        CheckWritable(path, string.IsNullOrEmpty(folder) ? "." : folder);
    }

    /// <summary>
    /// A folder or file this process may not write: SQLite would open a read-only file read-only without a word and
    /// fail at the first write, and fail in a read-only folder when it creates the -wal and -shm files. Asked of the
    /// kernel (<c>access(W_OK)</c>), which answers for this user, the immutable attribute and read-only mounts alike.
    /// </summary>
    private static void CheckWritable(string path, string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        if (NotWritable(folder) is { } folderReason)
        {
            throw new FilixException(
                $"The folder '{folder}' of the database '{path}' is not writable by this process ({folderReason}). SQLite creates the database's -wal and -shm files " +
                "beside it, and Filix its lock files, so the database cannot be opened there. Make the folder writable for this user (chmod u+w, chattr -i, or remount it " +
                "read-write), or copy the data folder to a writable place and point --data at it. Nothing was changed.",
                path);
        }

        if (File.Exists(path) && NotWritable(path) is { } fileReason)
        {
            throw new FilixException(
                $"The database '{path}' is not writable by this process ({fileReason}). Make it writable for this user (chmod u+w '{path}', chattr -i, or check " +
                "its owner), then open it again. Nothing was changed.",
                path);
        }
    }

    private static string? NotWritable(string path)
    {
        if (Access(path, 2) == 0)
        {
            return null;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            1 => "EPERM: it has the immutable attribute (lsattr shows 'i')",
            13 => "EACCES: permission denied for this user",
            30 => "EROFS: it is on a read-only file system",
            2 => null, // gone meanwhile: SQLite will say so
            _ => $"{Marshal.GetPInvokeErrorMessage(errno)}, errno {errno}",
        };
    }

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);
}

namespace Filix.Runtime.Sqlite;

/// <summary>The checks on a database path made before SQLite sees it, so that a wrong path gets a message that
/// says what to do instead of SQLite's "unable to open database file".</summary>
internal static class DatabaseFile
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
    }
}

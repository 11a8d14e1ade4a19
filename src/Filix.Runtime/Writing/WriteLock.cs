using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Filix.Runtime.Writing;

/// <summary>
/// The cross-process handoff of a database's write lock: an exclusive <c>flock</c> on the sidecar file
/// <c>&lt;db&gt;-filix.lock</c>, taken before <c>BEGIN IMMEDIATE</c> and released after <c>COMMIT</c>.
/// </summary>
/// <remarks>
/// SQLite's own answer to a held write lock is its busy handler, which sleeps and retries (1, 2, 5, 10 ... 100 ms).
/// Under many writing processes that turns into long waits and, past <c>busy_timeout</c>, "database is locked".
/// A blocked <c>flock</c> instead sleeps in the kernel and wakes as soon as the holder unlocks, so the lock passes
/// from process to process without polling. The group-commit writer of each process holds it for one batch, and
/// between batches the next waiting process gets it. <c>busy_timeout</c> stays as the backstop for writers that do
/// not take this lock (the sqlite3 shell, other tools). On Windows there is no lock file and SQLite's busy
/// handler does the waiting.
/// </remarks>
internal sealed class WriteLock : IDisposable
{
    private readonly string _path;
    private int _fd;

    private WriteLock(string path, int fd)
    {
        _path = path;
        _fd = fd;
    }

    /// <summary>Opens (creating if needed) the database's write-lock file, or returns null where flock is not available.</summary>
    public static WriteLock? Open(string databasePath) => OpenFile(Sqlite.DatabaseFile.LockFile(databasePath), databasePath);

    /// <summary>Opens (creating if needed) the lock file <paramref name="path"/> that guards <paramref name="databasePath"/>;
    /// null where flock is not available.</summary>
    public static WriteLock? OpenFile(string path, string databasePath)
    {
        if (!Libc.Supported)
        {
            return null;
        }

        var fd = Libc.Open(path, Libc.OpenFlags, Convert.ToInt32("644", 8));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new FilixException(
                $"Cannot open the write-lock file '{path}' ({Marshal.GetPInvokeErrorMessage(errno)}, errno {errno}). " +
                "Filix writers of this database coordinate through it: every process that writes the database must be able to create it in that folder, or read it once it exists.",
                databasePath);
        }

        return new WriteLock(path, fd);
    }

    /// <summary>Takes the lock, waiting in the kernel while another process holds it.</summary>
    /// <returns>How long the wait was; zero when the lock was free.</returns>
    public TimeSpan Acquire()
    {
        if (Libc.Flock(_fd, Libc.LockExclusive | Libc.LockNonBlocking) == 0)
        {
            return TimeSpan.Zero;
        }

        var started = Stopwatch.GetTimestamp();
        while (Libc.Flock(_fd, Libc.LockExclusive) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.Interrupted)
            {
                throw new FilixException($"Taking the write lock '{_path}' failed ({Marshal.GetPInvokeErrorMessage(errno)}, errno {errno}). Nothing was written.", _path);
            }
        }

        // A zero-length wait still counts as a wait: the non-blocking try failed.
        var waited = Stopwatch.GetElapsedTime(started);
        return waited > TimeSpan.Zero ? waited : TimeSpan.FromTicks(1);
    }

    /// <summary>Takes the lock if no other process holds it; never waits.</summary>
    public bool TryAcquire() => Libc.Flock(_fd, Libc.LockExclusive | Libc.LockNonBlocking) == 0;

    public void Release()
    {
        if (Libc.Flock(_fd, Libc.Unlock) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new FilixException($"Releasing the write lock '{_path}' failed ({Marshal.GetPInvokeErrorMessage(errno)}, errno {errno}).", _path);
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            // Closing the descriptor also drops any lock still held on it.
            _ = Libc.Close(fd);
        }
    }
}

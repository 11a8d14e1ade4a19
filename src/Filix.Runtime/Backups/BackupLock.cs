using System.Runtime.InteropServices;
using Filix.Runtime.Writing;

namespace Filix.Runtime.Backups;

/// <summary>
/// One process at a time changes a database's backup folder (a scheduled backup in the daemon and a
/// <c>filix backup</c> at the same moment): an exclusive <c>flock</c> on <c>&lt;backups&gt;/&lt;name&gt;/.lock</c>,
/// released by the kernel if the holder dies. Whoever holds it may also delete leftover temporary files, since
/// nobody else can be writing them.
/// </summary>
internal sealed class BackupLock : IDisposable
{
    private int _fd;

    private BackupLock(int fd) => _fd = fd;

    public static BackupLock Acquire(string folder, CancellationToken cancellationToken)
    {
        if (!Libc.Supported)
        {
            return new BackupLock(-1);
        }

        var path = Path.Combine(folder, ".lock");
        var fd = Libc.Open(path, Libc.OpenFlags, Convert.ToInt32("666", 8));
        if (fd < 0)
        {
            throw new FilixException($"Cannot open the backup lock '{path}' (errno {Marshal.GetLastPInvokeError()}). Check that the backups folder is writable.", path);
        }

        while (Libc.Flock(fd, Libc.LockExclusive | Libc.LockNonBlocking) != 0)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _ = Libc.Close(fd);
                cancellationToken.ThrowIfCancellationRequested();
            }

            // Another backup of the same database is running: wait for it (a backup takes seconds to minutes).
            Thread.Sleep(50);
        }

        return new BackupLock(fd);
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = Libc.Close(fd);
        }
    }
}

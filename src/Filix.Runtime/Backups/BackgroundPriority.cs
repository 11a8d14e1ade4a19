using System.Runtime.InteropServices;

namespace Filix.Runtime.Backups;

/// <summary>
/// Runs the calling thread at a lower CPU priority (Linux: a per-thread nice value through <c>setpriority</c> on
/// its thread id; lowering one's own priority needs no privilege) and puts it back on dispose. A backup is CPU work
/// (page copy, integrity_check, gzip, read-back) competing with the writers for the same cores; at nice 10 the
/// scheduler gives it about a tenth of a contended core and all of an idle one, so writers lose less while a backup
/// runs and the backup still runs at full speed on a quiet machine. Measured in docs/benchmarks.md, "Backups".
/// Elsewhere it does nothing.
/// </summary>
internal static partial class BackgroundPriority
{
    private const int PrioProcess = 0;
    private const int Nice = 10;

    public static IDisposable Enter()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Restore.None;
        }

        var tid = GetTid();
        Marshal.SetLastPInvokeError(0);
        var before = GetPriority(PrioProcess, tid);
        if (Marshal.GetLastPInvokeError() != 0 || SetPriority(PrioProcess, tid, Math.Max(before, Nice)) != 0)
        {
            return Restore.None;
        }

        return new Restore(tid, before);
    }

    private sealed class Restore(int tid, int nice) : IDisposable
    {
        public static readonly Restore None = new(-1, 0);

        public void Dispose()
        {
            if (tid > 0)
            {
                // Lowering a nice value back needs CAP_SYS_NICE on older kernels (RLIMIT_NICE): if refused, the
                // thread (a dedicated LongRunning thread) ends soon anyway.
                _ = SetPriority(PrioProcess, tid, nice);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);
}

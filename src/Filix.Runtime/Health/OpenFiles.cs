namespace Filix.Runtime.Health;

/// <summary>
/// The databases this process has open through Filix, with the health found when the first of them opened.
/// </summary>
/// <remarks>
/// The health checks read the database's files directly. Closing a descriptor drops every POSIX lock the process
/// holds on that file, including SQLite's (https://www.sqlite.org/howtocorrupt.html §2.2): another process could
/// then take the database for its own and, say, delete a WAL still in use. So the files are read only while this
/// process has no Filix connection to the database: the first open reads them; later opens of the same file, and
/// <see cref="HealthCheck.Quick"/> meanwhile, take what it found. (Code that opens the file with SQLite directly,
/// outside Filix, in the same process must do so after Filix's open, as SQLite's own documentation asks of any
/// code that touches a database's files.)
/// </remarks>
internal static class OpenFiles
{
    private static readonly Dictionary<string, Entry> Open = new(StringComparer.Ordinal);

    /// <summary>The health recorded by the Filix database of <paramref name="path"/> open in this process, or null
    /// (also while the first open is still checking it).</summary>
    public static DatabaseHealth? HealthOf(string path)
    {
        lock (Open)
        {
            return Open.TryGetValue(path, out var entry) && entry.Health.IsValueCreated ? entry.Health.Value : null;
        }
    }

    /// <summary>
    /// Runs <paramref name="check"/> unless the file is already open here (then the recorded health is returned),
    /// and counts this open. Every claim that returns is paired with one <see cref="Release"/>.
    /// </summary>
    /// <remarks>The check (a quick_check after a crash takes a while) runs outside the registry's lock: opens of
    /// other files go on meanwhile, and a second open of the same file waits for this check's result.</remarks>
    public static DatabaseHealth Claim(string path, Func<DatabaseHealth> check)
    {
        Entry entry;
        lock (Open)
        {
            if (Open.TryGetValue(path, out entry!))
            {
                entry.Count++;
            }
            else
            {
                entry = new Entry(new Lazy<DatabaseHealth>(check, LazyThreadSafetyMode.ExecutionAndPublication));
                Open[path] = entry;
            }
        }

        try
        {
            return entry.Health.Value;
        }
        catch
        {
            Release(path); // the check itself failed (an I/O error): this open never happened
            throw;
        }
    }

    /// <summary>One Filix database of <paramref name="path"/> in this process closed all its connections (or failed to open).</summary>
    public static void Release(string path)
    {
        lock (Open)
        {
            if (Open.TryGetValue(path, out var entry) && --entry.Count == 0)
            {
                Open.Remove(path);
            }
        }
    }

    private sealed class Entry(Lazy<DatabaseHealth> health)
    {
        public Lazy<DatabaseHealth> Health { get; } = health;

        public int Count { get; set; } = 1;
    }
}

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

    /// <summary>The health recorded by the Filix database of <paramref name="path"/> open in this process, or null.</summary>
    public static DatabaseHealth? HealthOf(string path)
    {
        lock (Open)
        {
            return Open.TryGetValue(path, out var entry) ? entry.Health : null;
        }
    }

    /// <summary>
    /// Runs <paramref name="check"/> unless the file is already open here (then the recorded health is returned),
    /// and counts this open. Every successful claim is paired with one <see cref="Release"/>.
    /// </summary>
    public static DatabaseHealth Claim(string path, Func<DatabaseHealth> check)
    {
        lock (Open)
        {
            if (Open.TryGetValue(path, out var entry))
            {
                entry.Count++;
                return entry.Health;
            }

            // Under the lock: a second open of the same file in this process waits rather than reading the files
            // while the first one's connections come up.
            var health = check();
            Open[path] = new Entry(health);
            return health;
        }
    }

    /// <summary>Records what a later check on the open file found (a failed quick_check).</summary>
    public static void Update(string path, DatabaseHealth health)
    {
        lock (Open)
        {
            if (Open.TryGetValue(path, out var entry))
            {
                entry.Health = health;
            }
        }
    }

    /// <summary>One Filix database of <paramref name="path"/> in this process closed all its connections.</summary>
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

    private sealed class Entry(DatabaseHealth health)
    {
        public DatabaseHealth Health { get; set; } = health;

        public int Count { get; set; } = 1;
    }
}

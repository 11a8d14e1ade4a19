using System.Globalization;

namespace Filix.Sync.Bench;

/// <summary>What /proc says about memory and CPU time (Linux only, like the rest of the benchmark).</summary>
internal static class ProcStats
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux the benchmark targets.

    /// <summary>Peak resident set of this process (VmHWM), in bytes: the "peak working set" of the report.</summary>
    public static long PeakWorkingSet() => StatusField("VmHWM");

    /// <summary>The current resident set (VmRSS), in bytes.</summary>
    public static long WorkingSet() => StatusField("VmRSS");

    private static long StatusField(string name)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                var kb = line[(name.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {name} line.");
    }

    /// <summary>CPU seconds (user + system) used so far by <paramref name="root"/> and every process below it, including
    /// children that already exited and were reaped (their time is in the parent's cutime/cstime): for the Postgres
    /// postmaster that is every backend, the WAL writer and the checkpointer.</summary>
    public static double TreeCpuSeconds(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat)
            {
                if (!children.TryGetValue(stat.Parent, out var list))
                {
                    children[stat.Parent] = list = [];
                }

                list.Add(pid);
            }
        }

        var total = 0.0;
        var pending = new Stack<int>([root]);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (Stat(pid) is { } stat)
            {
                total += stat.Cpu;
            }

            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                pending.Push(child);
            }
        }

        return total;
    }

    /// <summary>Parent pid and utime+stime+cutime+cstime of a process, or null when it is gone.</summary>
    private static (int Parent, double Cpu)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may contain spaces: split after its closing one.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
            + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        return (parent, ticks / TicksPerSecond);
    }

    /// <summary>The 1-minute load average, for the note beside each figure.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}

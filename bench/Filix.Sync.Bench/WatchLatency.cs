using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Filix.Sync.Bench;

/// <summary>
/// Watch mode: <c>filix sync --watch</c> runs for machine A and for machine B (two daemons, the Release CLI). Another
/// tool commits single-row inserts on A (its own connection, autocommit, spaced <c>spacing</c> ± 5 ms apart); a poller
/// on B's file (a read connection, <c>PRAGMA data_version</c> every millisecond, then a key-range query) notes when each
/// row becomes readable. Latency = readable on B − commit returned on A, both on this process's monotonic clock.
/// </summary>
internal static class WatchLatency
{
    private const string Prefix = "watch:";

    public static async Task RunAsync(BenchCluster cluster, string work, int writes, int spacingMs, double scale, Report report)
    {
        var a = Path.Combine(work, "a");
        var b = Path.Combine(work, "b");
        Directory.CreateDirectory(b);
        report.Step($"Setup: seed A (scale {scale.ToString(CultureInfo.InvariantCulture)}), start filix sync --watch on A and B");
        Domains.Seed(a, scale);
        var upstream = await cluster.CreateDatabaseAsync("watch");
        var daemons = new[] { StartDaemon(a, upstream, Path.Combine(work, "daemon-a.log")), StartDaemon(b, upstream, Path.Combine(work, "daemon-b.log")) };
        try
        {
            var entitiesA = Path.Combine(a, "entities.db");
            var entitiesB = Path.Combine(b, "entities.db");
            var caughtUp = await WaitAsync(() => File.Exists(entitiesB) && Domains.Synced.All(s => File.Exists(Domains.PathIn(b, s)) && Domains.Differences(Domains.PathIn(a, s), Domains.PathIn(b, s), s, jsonAsValue: true) == 0), TimeSpan.FromSeconds(180), daemons);
            report.Line($"the daemons brought B level with A in {Report.F(caughtUp.TotalSeconds)} s (initial sync through the daemons)");
            await Task.Delay(2000); // let both daemons settle into their idle wait

            var committed = new long[writes];
            var seen = new long[writes];
            using var stop = new CancellationTokenSource();
            var poller = Task.Factory.StartNew(() => Poll(entitiesB, seen, stop.Token), TaskCreationOptions.LongRunning);
            var cpuBefore = daemons.Select(d => d.TotalProcessorTime).ToArray();
            var load = ProcStats.LoadAverage();
            var random = new Random(11);
            using (var writer = new SqliteConnection($"Data Source={entitiesA};Pooling=False;Default Timeout=30"))
            {
                writer.Open();
                using var insert = writer.CreateCommand();
                insert.CommandText = "INSERT INTO entities (id, type, name) VALUES ($id, 'bench', 'watch latency')";
                var id = insert.Parameters.Add("$id", SqliteType.Text);
                insert.Prepare();
                for (var i = 0; i < writes; i++)
                {
                    id.Value = Key(i);
                    insert.ExecuteNonQuery();
                    committed[i] = Stopwatch.GetTimestamp();
                    Thread.Sleep(Math.Max(1, spacingMs - 5 + random.Next(11)));
                }
            }

            var all = TimeSpan.FromSeconds(60);
            try
            {
                all = await WaitAsync(() => seen.All(t => t != 0), all, daemons);
            }
            catch (TimeoutException)
            {
                // Reported below as writes not readable on B.
            }

            await stop.CancelAsync();
            await poller;
            var daemonCpu = daemons.Select((d, i) => (d.TotalProcessorTime - cpuBefore[i]).TotalSeconds).ToArray();
            var latencies = Enumerable.Range(0, writes).Where(i => seen[i] != 0).Select(i => Stopwatch.GetElapsedTime(committed[i], seen[i]).TotalMilliseconds).Order().ToArray();
            var missing = writes - latencies.Length;
            double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
            report.Step($"Watch mode: commit on A -> readable on B, {writes:N0} single-row inserts {spacingMs - 5}-{spacingMs + 5} ms apart");
            report.Table(["writes", "readable on B", "p50 ms", "p90 ms", "p99 ms", "max ms", "daemon CPU s (A, B)", "load at start"],
            [[
                writes.ToString("N0", CultureInfo.InvariantCulture), latencies.Length.ToString("N0", CultureInfo.InvariantCulture),
                Report.F(P(0.5), "N1"), Report.F(P(0.9), "N1"), "**" + Report.F(P(0.99), "N1") + "**", Report.F(latencies[^1], "N1"),
                Report.F(daemonCpu[0]) + ", " + Report.F(daemonCpu[1]), Report.F(load),
            ]]);
            if (missing > 0)
            {
                report.Line($"{missing:N0} writes were not readable on B within 60 s of the last write.");
            }

            report.Figure("watch", new { writes, spacingMs, load, p50 = P(0.5), p90 = P(0.9), p99 = P(0.99), max = latencies[^1], missing, daemonCpu, waitedForAll = all.TotalSeconds });
        }
        finally
        {
            foreach (var daemon in daemons)
            {
                Stop(daemon, report);
            }
        }
    }

    private static string Key(int i) => Prefix + i.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Notes when each write becomes readable on B: a cheap <c>PRAGMA data_version</c> each millisecond (it
    /// changes when another connection commits), and only then the range of keys not yet seen.</summary>
    private static void Poll(string file, long[] seen, CancellationToken stop)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False;Default Timeout=30");
        connection.Open();
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA data_version";
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT id FROM entities WHERE id >= $from AND id < $to";
        var from = query.Parameters.Add("$from", SqliteType.Text);
        query.Parameters.AddWithValue("$to", Prefix[..^1] + (char)(Prefix[^1] + 1));
        long last = -1;
        var next = 0;
        while (!stop.IsCancellationRequested && next < seen.Length)
        {
            var current = (long)version.ExecuteScalar()!;
            if (current != last)
            {
                last = current;
                var now = Stopwatch.GetTimestamp();
                from.Value = Key(next);
                using var reader = query.ExecuteReader();
                while (reader.Read())
                {
                    var i = int.Parse(reader.GetString(0).AsSpan(Prefix.Length), CultureInfo.InvariantCulture);
                    if (seen[i] == 0)
                    {
                        seen[i] = now;
                    }
                }

                while (next < seen.Length && seen[next] != 0)
                {
                    next++;
                }
            }

            Thread.Sleep(1);
        }
    }

    private static Process StartDaemon(string dataFolder, string upstream, string log)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Domains.FilixDll(), "sync", "--watch", "--data", dataFolder, "--upstream", upstream })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGTERM (the daemon drains and exits), then SIGKILL after 15 s.</summary>
    private static void Stop(Process daemon, Report report)
    {
        if (daemon.HasExited)
        {
            report.Line($"daemon {daemon.Id} had exited with {daemon.ExitCode}.");
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        var watch = Stopwatch.StartNew();
        if (daemon.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            report.Line($"daemon {daemon.Id}: SIGTERM -> exit {daemon.ExitCode} in {watch.ElapsedMilliseconds} ms.");
        }
        else
        {
            daemon.Kill();
            report.Line($"daemon {daemon.Id} did not exit within 15 s of SIGTERM; killed.");
        }
    }

    private static async Task<TimeSpan> WaitAsync(Func<bool> done, TimeSpan timeout, Process[] daemons)
    {
        var watch = Stopwatch.StartNew();
        while (!Safe(done))
        {
            if (daemons.FirstOrDefault(d => d.HasExited) is { } gone)
            {
                throw new InvalidOperationException($"a filix sync --watch daemon exited with {gone.ExitCode} (see daemon-*.log in the work folder; run with --keep).");
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"not done within {timeout.TotalSeconds} s (see daemon-*.log in the work folder; run with --keep).");
            }

            await Task.Delay(200);
        }

        return watch.Elapsed;
    }

    /// <summary>A check that may meet a file the daemon is still creating counts as "not yet".</summary>
    private static bool Safe(Func<bool> check)
    {
        try
        {
            return check();
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}

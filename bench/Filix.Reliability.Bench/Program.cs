using System.Diagnostics;
using System.Globalization;
using Filix.Domains.Entities;
using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Runtime.Backups.Restore;

namespace Filix.Reliability.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Filix.Reliability.Bench -- [--size-mb 1024] [--folder DIR] [--writers 10] [--baseline-seconds 20]</c>
/// (<c>--methods-only --folder DIR</c>: the two backup methods alone, alternating, on the database the last run left).
/// Makes a database of the given size, then, with the writers writing: a window without a backup, a backup with
/// SQLite's backup API, one with VACUUM INTO (writer figures cut to each backup's own window), then the restore of
/// the last backup with the writers stopped. Prints a Markdown table (docs/benchmarks.md, "Backups").
/// </summary>
internal static class Program
{
    public static readonly FilixOptions Options = new() { ShareWriter = false };

    public static async Task<int> Main(string[] args)
    {
        var sizeMb = long.Parse(Arg(args, "--size-mb", "1024"), CultureInfo.InvariantCulture);
        var folder = Arg(args, "--folder", Path.Combine(Path.GetTempPath(), "filix-backup-bench"));
        var writerCount = int.Parse(Arg(args, "--writers", "10"), CultureInfo.InvariantCulture);
        var baselineSeconds = int.Parse(Arg(args, "--baseline-seconds", "20"), CultureInfo.InvariantCulture);
        var path = Path.Combine(folder, "entities.db");
        if (args.Contains("--methods-only"))
        {
            // The two methods alone on an existing database (no writers), alternating, twice each: their own cost.
            for (var round = 0; round < 2; round++)
            {
                foreach (var method in new[] { BackupMethod.BackupApi, BackupMethod.VacuumInto })
                {
                    var phase = await TimedBackupAsync(path, method, background: false);
                    Console.WriteLine(Invariant($"| {method} | round {round + 1} | {phase.Seconds:0.0} s | {phase.Entry.DatabaseBytes / (double)(1 << 20):N0} MiB → {phase.Entry.Bytes / (double)(1 << 20):N0} MiB |"));
                }
            }

            return 0;
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var rows = await BulkFill.CreateAsync(path, sizeMb << 20);
        var dbBytes = new FileInfo(path).Length;
        var lines = new List<string>();

        await using (var database = await FilixDatabase.OpenAsync(path, EntitiesSchema.Definition, Options))
        {
            var writers = new Writers(database, writerCount, rows);
            writers.Start();
            await Task.Delay(2000); // warm up
            var from = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(baselineSeconds));
            var baseline = writers.Window(from, Stopwatch.GetTimestamp());
            lines.Add(Row("no backup running", null, null, baseline, baseline));

            foreach (var (method, background) in new[] { (BackupMethod.BackupApi, true), (BackupMethod.VacuumInto, true), (BackupMethod.BackupApi, false) })
            {
                await Task.Delay(3000); // let the WAL settle between phases
                var phase = await TimedBackupAsync(path, method, background);
                var name = (method == BackupMethod.BackupApi ? "backup API (sqlite3_backup_step, 4096 pages/step)" : "VACUUM INTO") + (background ? ", nice 10 (default)" : ", same priority as the writers");
                lines.Add(Row(name, phase.Entry, phase.Seconds, writers.Window(phase.From, phase.To), baseline));
                Console.Error.WriteLine(lines[^1]);
            }

            await writers.StopAsync();
        }

        // Restore: the database closed, the newest backup back in place, the replaced file compared and kept aside.
        var clock = Stopwatch.StartNew();
        var report = FilixRestore.Restore(path);
        var restoreSeconds = clock.Elapsed.TotalSeconds;

        Console.WriteLine(Invariant($"Database: {rows:N0} bulk rows, {dbBytes / (double)(1 << 20):N0} MiB; {writerCount} writers, one row updated per write through Filix's writer (synchronous=NORMAL)."));
        Console.WriteLine();
        Console.WriteLine("| while the writers write | backup s | DB MiB / .gz MiB | writes/s | vs none | p50 ms | p99 ms | max ms | writes > 100 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        lines.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine(Invariant($"Restore of {report.Backup.FileName} ({report.Backup.Bytes / (double)(1 << 20):N0} MiB compressed): {restoreSeconds:0.0} s in all (checksum, decompress, integrity_check, compare with the replaced file: {report.Losses.Total:N0} rows differ, rename)."));
        return 0;
    }

    private static async Task<(BackupEntry Entry, double Seconds, long From, long To)> TimedBackupAsync(string path, BackupMethod method, bool background)
    {
        var from = Stopwatch.GetTimestamp();
        var entry = await FilixBackup.TakeAsync(path, new BackupOptions { Method = method, Retention = null, Background = background });
        var to = Stopwatch.GetTimestamp();
        return (entry, Stopwatch.GetElapsedTime(from, to).TotalSeconds, from, to);
    }

    private static string Row(string what, BackupEntry? entry, double? seconds, WriterStats stats, WriterStats baseline) =>
        Invariant($"| {what} | {(seconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "–")} | ") +
        (entry is null ? "– | " : Invariant($"{entry.DatabaseBytes / (double)(1 << 20):N0} / {entry.Bytes / (double)(1 << 20):N0} | ")) +
        Invariant($"{stats.PerSecond:N0} | {(stats.PerSecond / baseline.PerSecond) - 1:+0%;-0%;0%} | {stats.P50:0.0} | {stats.P99:0.0} | {stats.Max:0} | {stats.Over100:N0} of {stats.Writes:N0} |");

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

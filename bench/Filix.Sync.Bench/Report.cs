using System.Globalization;
using System.Text.Json;

namespace Filix.Sync.Bench;

/// <summary>What a run prints: markdown-ready lines on stdout as they are measured, and every figure as JSON at the end
/// (<c>--out FILE</c>).</summary>
internal sealed class Report
{
    private readonly Dictionary<string, object?> _figures = new(StringComparer.Ordinal);

    public static string Rate(long rows, double seconds) => seconds > 0 ? (rows / seconds).ToString("N0", CultureInfo.InvariantCulture) : "-";

    public static string MiB(long bytes) => (bytes / 1048576.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB";

    public static string F(double value, string format = "N2") => value.ToString(format, CultureInfo.InvariantCulture);

    public void Line(string text = "") => Console.WriteLine(text);

    /// <summary>A heading with the machine's state now: the load beside every figure.</summary>
    public void Step(string title) => Console.WriteLine($"\n### {title} (load average {F(ProcStats.LoadAverage())}, {DateTime.UtcNow:HH:mm:ss} UTC)\n");

    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        Console.WriteLine("| " + string.Join(" | ", header) + " |");
        Console.WriteLine("|" + string.Concat(header.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row) + " |");
        }

        Console.WriteLine();
    }

    public void Figure(string key, object? value) => _figures[key] = value;

    public void Breakdown(string what, ServerBreakdown server, double wallSeconds, double clientCpuSeconds)
    {
        Line($"Server side of {what} (pg_stat_statements, pg_stat_wal; wall {F(wallSeconds)} s, client CPU {F(clientCpuSeconds)} s, server CPU {F(server.ServerCpuSeconds)} s):");
        Line();
        Table(["statement kind", "calls", "total ms", "share of wall"],
            server.ByKind().Select(k => (IReadOnlyList<string>)[k.Kind, k.Calls.ToString("N0", CultureInfo.InvariantCulture), F(k.Milliseconds, "N0"), F(100 * k.Milliseconds / 1000 / wallSeconds, "N1") + "%"]));
        Line($"WAL: {server.WalRecords:N0} records, {MiB(server.WalBytes)}, {server.WalSyncs:N0} flushes taking {F(server.WalSyncMilliseconds, "N0")} ms, writes {F(server.WalWriteMilliseconds, "N0")} ms.");
        Line();
        Line("Slowest statements:");
        Line();
        Table(["statement", "calls", "total ms", "rows"],
            server.Statements.Take(8).Select(s => (IReadOnlyList<string>)["`" + s.Query.Replace("|", "\\|", StringComparison.Ordinal) + "`", s.Calls.ToString("N0", CultureInfo.InvariantCulture), F(s.Milliseconds, "N0"), s.Rows.ToString("N0", CultureInfo.InvariantCulture)]));
    }

    public void Save(string? path)
    {
        if (path is not null)
        {
            File.WriteAllText(path, JsonSerializer.Serialize(_figures, Json.Indented));
            Console.WriteLine($"figures written to {path}");
        }
    }
}

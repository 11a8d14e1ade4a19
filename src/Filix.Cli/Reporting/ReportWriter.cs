using System.Globalization;
using System.Text.Json;

namespace Filix.Cli.Reporting;

/// <summary>Prints a <see cref="FilixReport"/> as a short table for people, or as JSON for scripts.</summary>
internal static class ReportWriter
{
    public static void WriteJson(TextWriter output, FilixReport report) =>
        output.WriteLine(JsonSerializer.Serialize(report, ReportJson.Default.FilixReport));

    public static void WriteJson(TextWriter output, MigrationsReport report) =>
        output.WriteLine(JsonSerializer.Serialize(report, ReportJson.Default.MigrationsReport));

    public static void WriteText(TextWriter output, FilixReport report)
    {
        output.WriteLine(Invariant($"Filix data folder {report.DataFolder}"));
        output.WriteLine(Invariant($"{"domain",-12} {"upstream",-8} {"status",-8} {"tables",6} {"rows",10} {"size",10} {"journal",-8} {"time",8}"));
        foreach (var d in report.Domains)
        {
            if (d.Error is not null)
            {
                output.WriteLine(Invariant($"{d.Domain,-12} {Upstream(d),-8} {"error",-8}  {d.Error}"));
                continue;
            }

            output.WriteLine(Invariant($"{d.Domain,-12} {Upstream(d),-8} {d.Status,-8} {d.Tables.Count,6} {d.Rows,10:N0} {Size(d.Bytes),10} {d.JournalMode ?? "-",-8} {d.Seconds,7:0.00}s"));
            if (d.Tables.Count > 0)
            {
                output.WriteLine("    " + string.Join("  ", d.Tables.Select(t => Invariant($"{t.Table} {t.Rows:N0}"))));
            }

            if (d.Migrations is not null)
            {
                output.WriteLine("    migrations: " + d.Migrations);
            }

            if (d.Note is not null)
            {
                output.WriteLine("    note: " + d.Note);
            }

            if (d.ReadBack.Count > 0)
            {
                var scans = d.ReadBack.Where(c => c.Description.StartsWith("scan ", StringComparison.Ordinal)).ToList();
                var lookups = d.ReadBack.Except(scans).ToList();
                output.WriteLine(Invariant(
                    $"    read back: {scans.Sum(c => c.Rows):N0} rows scanned in {scans.Sum(c => c.Milliseconds):0} ms; {lookups.Count} kinds of key/index lookup, {lookups.Sum(c => c.Rows):N0} rows in {lookups.Sum(c => c.Milliseconds):0.0} ms, all consistent"));
            }
        }

        output.WriteLine(Invariant($"{"total",-12} {string.Empty,-8} {string.Empty,-8} {report.Domains.Sum(d => d.Tables.Count),6} {report.Rows,10:N0} {Size(report.Bytes),10} {string.Empty,-8} {report.Seconds,7:0.00}s"));
        if (report.Domains.Any(d => d.Status == "kept"))
        {
            output.WriteLine("kept: the database already held rows, so it was left as it was (Filix never wipes data). Use another --data folder for a fresh set.");
        }

        if (report.Domains.Any(d => d.Status == "missing"))
        {
            output.WriteLine("missing: no database file yet; 'filix run' creates and fills it.");
        }
    }

    private static string Upstream(DomainReport d) => d.Shared ? "shared" : "local";

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => Invariant($"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => Invariant($"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => Invariant($"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => Invariant($"{bytes} B"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

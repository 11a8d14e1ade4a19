using System.Globalization;
using System.Text.Json;
using Filix.Runtime.Sync;

namespace Filix.Cli.Sync;

/// <summary>Prints the sync commands' reports as short tables for people, or as JSON for scripts.</summary>
internal static class SyncWriter
{
    public static void WriteJson(TextWriter output, SyncRunReport report) => output.WriteLine(JsonSerializer.Serialize(report, SyncJson.Default.SyncRunReport));

    public static void WriteJson(TextWriter output, SyncStatusReport report) => output.WriteLine(JsonSerializer.Serialize(report, SyncJson.Default.SyncStatusReport));

    public static void WriteJson(TextWriter output, SyncSettingsReport report) => output.WriteLine(JsonSerializer.Serialize(report, SyncJson.Default.SyncSettingsReport));

    public static void WriteText(TextWriter output, SyncRunReport report)
    {
        output.WriteLine(Invariant($"Filix sync of {report.DataFolder} (machine {report.Machine}) with {report.Upstream}"));
        output.WriteLine(Invariant($"{"table",-28} {"pushed",10} {"pulled",10} {"parked",8}"));
        foreach (var domain in report.Domains)
        {
            if (domain.Error is not null)
            {
                output.WriteLine(Invariant($"{domain.Domain,-28} error: {domain.Error}"));
                continue;
            }

            foreach (var table in domain.Tables)
            {
                var name = domain.Domain + "." + table.Table;
                output.WriteLine(table.Skipped
                    ? Invariant($"{name,-28} {"optional, not enabled here (filix sync enable " + name + ")",-30}")
                    : Invariant($"{name,-28} {table.Pushed,10:N0} {table.Pulled,10:N0} {table.Parked,8:N0}{(table.Resynced ? "  (resynced in full)" : string.Empty)}"));
            }

            if (domain.Warning is not null)
            {
                output.WriteLine("    warning: " + domain.Warning);
            }
        }

        var tables = report.Domains.SelectMany(d => d.Tables).ToList();
        output.WriteLine(Invariant($"{"total",-28} {tables.Sum(t => t.Pushed),10:N0} {tables.Sum(t => t.Pulled),10:N0} {tables.Sum(t => t.Parked),8:N0}  in {report.Seconds:0.00} s"));
        if (tables.Any(t => t.Parked > 0))
        {
            output.WriteLine("parked: rows that could not apply; they are retried on every sync. 'filix status' says which and why.");
        }
    }

    public static void WriteText(TextWriter output, SyncStatusReport report)
    {
        output.WriteLine(Invariant($"Filix sync status of {report.DataFolder} (machine {report.Machine})"));
        output.WriteLine(report.Upstream is null ? "upstream: " + report.UpstreamNote : Invariant($"upstream: {report.Upstream}{(report.UpstreamNote is null ? string.Empty : " — " + report.UpstreamNote)}"));
        output.WriteLine(Invariant($"{"table",-28} {"syncs",-5} {"pending",8} {"parked",7} {"behind",8}  {"last push",-20} {"last pull",-20}"));
        foreach (var domain in report.Domains)
        {
            if (domain.Status != "present")
            {
                output.WriteLine(Invariant($"{domain.Domain,-28} {domain.Status}{(domain.Error is null ? string.Empty : ": " + domain.Error)}"));
                continue;
            }

            foreach (var table in domain.Tables)
            {
                var behind = table.BehindUpstream is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) : "?";
                output.WriteLine(Invariant(
                    $"{domain.Domain + "." + table.Table,-28} {(table.Enabled ? "yes" : "no"),-5} {table.PendingLocal,8:N0} {table.Parked.Count,7:N0} {behind,8}  {When(table.LastPush),-20} {When(table.LastPull),-20}"));
                foreach (var parked in table.Parked)
                {
                    output.WriteLine(Invariant($"    parked ({parked.Direction}) {parked.Key}: {parked.Reason} (since {When(parked.Since)}, {parked.Attempts} attempts)"));
                }
            }

            if (domain.Warning is not null)
            {
                output.WriteLine("    warning: " + domain.Warning);
            }
        }
    }

    public static void WriteText(TextWriter output, SyncSettingsReport report)
    {
        output.WriteLine(Invariant($"{report.Settings}: machine {report.Machine}, enabled: {(report.Enabled.Count == 0 ? "(none)" : string.Join(", ", report.Enabled))}"));
        foreach (var table in report.Tables)
        {
            output.WriteLine(Invariant($"  {table.Table,-28} {(table.Enabled ? "syncs" : "stays local")}"));
        }
    }

    private static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never";

    /// <summary>Formatted in the invariant culture, without the padding a last column leaves at the end of the line.</summary>
    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture).TrimEnd();
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Filix.Runtime.Backups;
using Filix.Runtime.Backups.Restore;

namespace Filix.Cli.Backups;

/// <summary>Prints backups and restores for people (short lines) or as JSON (written by hand: the CLI stays
/// trimmable, and these shapes are small).</summary>
internal static class BackupPrinter
{
    public static string Age(TimeSpan age) => age.TotalMinutes < 1 ? "just now"
        : age.TotalHours < 1 ? Invariant($"{age.TotalMinutes:0} min ago")
        : age.TotalDays < 2 ? Invariant($"{age.TotalHours:0.#} h ago")
        : Invariant($"{age.TotalDays:0.#} days ago");

    public static string Rows(IReadOnlyDictionary<string, long> counts) =>
        string.Join(", ", counts.Where(c => !c.Key.StartsWith("_filix_", StringComparison.Ordinal)).Select(c => Invariant($"{c.Key} {c.Value:N0}")));

    public static void Text(TextWriter output, string domain, BackupEntry entry, DateTimeOffset now) =>
        output.WriteLine(Invariant($"{domain,-12} {entry.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {Age(now - entry.TakenAt),-14} {Size(entry.Bytes),10} {(entry.Verified ? "verified" : "NOT verified"),-12} {entry.Reason,-9} {entry.FileName}  [{Rows(entry.RowCounts)}]"));

    public static void WriteEntry(Utf8JsonWriter json, string domain, BackupEntry entry, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("domain", domain);
        json.WriteNumber("ageSeconds", Math.Round((now - entry.TakenAt).TotalSeconds));
        BackupManifest.WriteFields(json, entry, entry.File);
        json.WriteEndObject();
    }

    public static void Restore(TextWriter output, RestoreReport report, DateTimeOffset now)
    {
        output.WriteLine($"Restored {report.Database} from {report.Backup.FileName} (taken {report.Backup.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, {Age(now - report.Backup.TakenAt)}).");
        foreach (var (backup, problem) in report.Skipped)
        {
            output.WriteLine($"  skipped {backup.FileName}: {problem}");
        }

        foreach (var file in report.KeptAside)
        {
            output.WriteLine($"  kept aside: {file}");
        }

        var losses = report.Losses;
        if (!losses.Compared)
        {
            output.WriteLine($"  what the restore undid is unknown: {losses.Note}.");
            return;
        }

        if (losses.Tables.Count == 0)
        {
            output.WriteLine("  nothing was lost: the replaced file held no write committed after the backup.");
        }
        else
        {
            output.WriteLine("  writes committed after the backup, undone by the restore:");
            output.WriteLine(Invariant($"    {"table",-22} {"added",8} {"changed",8} {"deleted",8}   upstream has (pulled back by the next 'filix sync')   lost"));
            foreach (var t in losses.Tables)
            {
                output.WriteLine(t.Error is not null
                    ? $"    {t.Table,-22} could not be read: {t.Error}"
                    : Invariant($"    {t.Table,-22} {t.Added,8:N0} {t.Changed,8:N0} {t.Deleted,8:N0}   {(t.Shared ? t.UpstreamHas.ToString("N0", CultureInfo.InvariantCulture) : "(local table)"),-52} {t.LostForGood:N0}"));
            }
        }

        if (losses.Note.Length > 0)
        {
            output.WriteLine("  note: " + losses.Note);
        }

        if (losses.Recoverable > 0)
        {
            output.WriteLine(Invariant($"  run 'filix sync' to pull back the {losses.Recoverable:N0} change(s) the upstream has."));
        }
    }

    public static void WriteRestore(Utf8JsonWriter json, string domain, RestoreReport report, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("domain", domain);
        json.WriteString("database", report.Database);
        json.WritePropertyName("backup");
        WriteEntry(json, domain, report.Backup, now);
        json.WriteStartArray("skipped");
        foreach (var (backup, problem) in report.Skipped)
        {
            json.WriteStartObject();
            json.WriteString("file", backup.File);
            json.WriteString("problem", problem);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("keptAside");
        foreach (var file in report.KeptAside)
        {
            json.WriteStringValue(file);
        }

        json.WriteEndArray();
        json.WriteStartObject("losses");
        json.WriteBoolean("compared", report.Losses.Compared);
        json.WriteString("note", report.Losses.Note);
        json.WriteStartArray("tables");
        foreach (var t in report.Losses.Tables)
        {
            json.WriteStartObject();
            json.WriteString("table", t.Table);
            json.WriteNumber("added", t.Added);
            json.WriteNumber("changed", t.Changed);
            json.WriteNumber("deleted", t.Deleted);
            json.WriteBoolean("shared", t.Shared);
            json.WriteNumber("upstreamHas", t.UpstreamHas);
            json.WriteNumber("lostForGood", t.LostForGood);
            if (t.Error is not null)
            {
                json.WriteString("error", t.Error);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Runs <paramref name="write"/> on an indented JSON writer and prints the result.</summary>
    public static void Json(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => Invariant($"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => Invariant($"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => Invariant($"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => Invariant($"{bytes} B"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Filix.Runtime.Backups;

/// <summary>
/// Reads and writes <c>manifest.json</c>:
/// <code>{ "version": 1, "backups": [ { "takenAt": "2026-12-02T15:00:00.000Z", "file": "music-20261202T150000000Z.db.gz",
///   "bytes": 123, "databaseBytes": 456, "verified": true, "integrity": "ok", "schemaHash": "…", "reason": "manual",
///   "method": "backup-api", "sha256": "…", "rowCounts": { "tracks": 10 } } ] }</code>
/// Files are named relative to the manifest's folder, so a data folder can be moved or copied whole. Written by hand
/// with <see cref="Utf8JsonWriter"/> (the runtime is AOT-compatible: no reflection-based serializer), and never in
/// place: a temporary file is fsynced, renamed over the old one, and the folder fsynced, so a crash leaves the old
/// manifest or the new one.
/// </summary>
internal static class BackupManifest
{
    private const int Version = 1;

    public static IReadOnlyList<BackupEntry> Read(string manifestPath)
    {
        if (!File.Exists(manifestPath))
        {
            return [];
        }

        var folder = Path.GetDirectoryName(manifestPath)!;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            var entries = new List<BackupEntry>();
            foreach (var item in document.RootElement.GetProperty("backups").EnumerateArray())
            {
                entries.Add(ReadEntry(item, folder));
            }

            return entries;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new FilixException(
                $"{manifestPath}: the backup manifest cannot be read ({ex.Message.TrimEnd('.')}). The backup files beside it are intact; " +
                "move the manifest aside and take a new backup with 'filix backup', or repair the JSON by hand.", manifestPath, ex);
        }
    }

    private static BackupEntry ReadEntry(JsonElement item, string folder)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (item.TryGetProperty("rowCounts", out var rowCounts))
        {
            foreach (var table in rowCounts.EnumerateObject())
            {
                counts[table.Name] = table.Value.GetInt64();
            }
        }

        return new BackupEntry(
            DateTimeOffset.Parse(item.GetProperty("takenAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Path.Combine(folder, Path.GetFileName(item.GetProperty("file").GetString()!)),
            item.GetProperty("bytes").GetInt64(),
            item.GetProperty("verified").GetBoolean(),
            counts)
        {
            DatabaseBytes = Int64(item, "databaseBytes"),
            Integrity = Text(item, "integrity"),
            SchemaHash = Text(item, "schemaHash"),
            Reason = Text(item, "reason"),
            Method = Text(item, "method"),
            Sha256 = Text(item, "sha256"),
        };
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static long Int64(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    /// <summary>Replaces the manifest with <paramref name="entries"/> (atomically, see the type's remarks).</summary>
    public static void Write(string manifestPath, IEnumerable<BackupEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteStartArray("backups");
            foreach (var entry in entries.OrderBy(e => e.TakenAt))
            {
                WriteEntry(json, entry);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        DurableFile.Replace(manifestPath, buffer.ToArray());
    }

    private static void WriteEntry(Utf8JsonWriter json, BackupEntry entry)
    {
        json.WriteStartObject();
        WriteFields(json, entry, entry.FileName);
        json.WriteEndObject();
    }

    /// <summary>An entry's fields, as the manifest spells them (and <c>filix backups --json</c>, which adds its own and
    /// gives <paramref name="file"/> as a full path).</summary>
    internal static void WriteFields(Utf8JsonWriter json, BackupEntry entry, string file)
    {
        json.WriteString("takenAt", entry.TakenAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("file", file);
        json.WriteNumber("bytes", entry.Bytes);
        json.WriteNumber("databaseBytes", entry.DatabaseBytes);
        json.WriteBoolean("verified", entry.Verified);
        json.WriteString("integrity", entry.Integrity);
        json.WriteString("schemaHash", entry.SchemaHash);
        json.WriteString("reason", entry.Reason);
        json.WriteString("method", entry.Method);
        json.WriteString("sha256", entry.Sha256);
        json.WriteStartObject("rowCounts");
        foreach (var (table, count) in entry.RowCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(table, count);
        }

        json.WriteEndObject();
    }

    /// <summary>One line naming a backup, for reports and error messages.</summary>
    public static string Describe(BackupEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{entry.FileName} (taken {entry.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, {(entry.Verified ? "verified" : "not verified")})");
}

using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Filix.Runtime.Sync;

/// <summary>
/// A data folder's sync settings, <c>&lt;data folder&gt;/filix.sync.json</c>:
/// <code>{ "machine": "laptop-3f9a0c1e", "enabled": ["music", "music.playlists"] }</code>
/// <c>machine</c> is this data folder's machine id: written upstream as <c>synced_from</c> and the last tiebreak of
/// last-write-wins, so it is created once (<c>&lt;hostname&gt;-&lt;8 hex&gt;</c>) and never changes; two data folders on
/// one host are two machines. <c>enabled</c> lists the <c>optional</c> domains (all their optional tables) or
/// <c>domain.table</c>s that sync here (<c>filix sync enable music</c>); <c>sync</c> tables always sync.
/// </summary>
/// <remarks>
/// The file is never written in place: the first one is linked into place whole (so two processes creating it at
/// once agree on one machine id, the loser reading the winner's), later ones replace it by rename (a reader sees the
/// old file or the new one, never half of either).
/// </remarks>
public sealed partial class SyncSettings
{
    /// <summary>The settings file's name inside the data folder.</summary>
    public const string FileName = "filix.sync.json";

    private SyncSettings(string path, string machineId, IReadOnlyList<string> enabled)
    {
        Path = path;
        MachineId = machineId;
        Enabled = enabled;
    }

    /// <summary>The settings file.</summary>
    public string Path { get; }

    /// <summary>This data folder's machine id.</summary>
    public string MachineId { get; }

    /// <summary>The enabled optional domains and <c>domain.table</c>s, sorted.</summary>
    public IReadOnlyList<string> Enabled { get; }

    /// <summary>
    /// Reads the data folder's settings, creating the file with a new machine id when there is none. Every entry of
    /// <c>enabled</c> is checked against <paramref name="schemas"/> (the domains this build knows): an unknown or
    /// non-optional one is a <see cref="FilixException"/> naming the file and the entry.
    /// </summary>
    public static SyncSettings Load(string dataFolder, IEnumerable<DatabaseSchema> schemas)
    {
        var path = System.IO.Path.Combine(dataFolder, FileName);
        var known = schemas.ToList();
        var settings = ReadOrCreate(path);
        foreach (var entry in settings.Enabled)
        {
            Validate(path, entry, known, "in \"enabled\"");
        }

        return settings;
    }

    /// <summary>Enables <paramref name="entry"/> (<c>music</c> or <c>music.playlists</c>) and saves; returns the new
    /// settings. Enabling what is already enabled changes nothing.</summary>
    public static SyncSettings Enable(string dataFolder, string entry, IEnumerable<DatabaseSchema> schemas)
    {
        var settings = Load(dataFolder, schemas);
        var normalized = Validate(settings.Path, entry.Trim(), schemas.ToList(), "given to enable");
        return settings.Enabled.Contains(normalized, StringComparer.Ordinal)
            ? settings
            : settings.Save([.. settings.Enabled, normalized]);
    }

    /// <summary>Disables <paramref name="entry"/> and saves. Disabling a domain also removes its <c>domain.table</c>
    /// entries; disabling one table of an enabled domain is refused with what to do instead.</summary>
    public static SyncSettings Disable(string dataFolder, string entry, IEnumerable<DatabaseSchema> schemas)
    {
        var settings = Load(dataFolder, schemas);
        var normalized = Validate(settings.Path, entry.Trim(), schemas.ToList(), "given to disable");
        var dot = normalized.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && settings.Enabled.Contains(normalized[..dot], StringComparer.Ordinal))
        {
            throw new FilixException(
                $"{settings.Path}: '{normalized}' syncs because its whole domain '{normalized[..dot]}' is enabled. " +
                $"Disable '{normalized[..dot]}', then enable the tables that should still sync one by one.", settings.Path);
        }

        var kept = settings.Enabled.Where(e => e != normalized && !e.StartsWith(normalized + ".", StringComparison.Ordinal)).ToList();
        return kept.Count == settings.Enabled.Count ? settings : settings.Save(kept);
    }

    /// <summary>Whether <paramref name="entry"/> names an optional domain or <c>domain.table</c> of
    /// <paramref name="schemas"/> (what <see cref="Enable"/> and <see cref="Disable"/> accept).</summary>
    public static bool IsValidEntry(string entry, IEnumerable<DatabaseSchema> schemas) =>
        schemas.SelectMany(s => s.SyncTables).Where(t => t.Mode == SyncMode.Optional)
            .Any(t => string.Equals(t.Domain, entry.Trim(), StringComparison.OrdinalIgnoreCase) || string.Equals(t.Domain + "." + t.Name, entry.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The options for syncing with <paramref name="upstream"/> under these settings.</summary>
    public SyncOptions ToOptions(string upstream) => new()
    {
        Upstream = upstream,
        MachineId = MachineId,
        Enabled = new HashSet<string>(Enabled, StringComparer.Ordinal),
    };

    /// <summary>A new machine id: the host's name (lower case, letters, digits and '-' only) and 8 random hex digits,
    /// so ids are readable upstream and two data folders on one host still differ.</summary>
    public static string NewMachineId()
    {
        var host = new StringBuilder();
        foreach (var c in Environment.MachineName.ToLowerInvariant())
        {
            host.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        var name = host.ToString().Trim('-');
        return (name.Length == 0 ? "machine" : name) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    private static SyncSettings ReadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var folder = System.IO.Path.GetDirectoryName(path)!;
            if (!Directory.Exists(folder))
            {
                throw new FilixException($"There is no data folder at '{folder}' to hold {FileName}. Create it, or point --data at the folder that holds the domain databases.", folder);
            }

            var created = new SyncSettings(path, NewMachineId(), []);
            var temp = created.WriteTemp();
            try
            {
                if (LinkIntoPlace(temp, path))
                {
                    return created;
                }
            }
            finally
            {
                File.Delete(temp);
            }
        }

        return Read(path);
    }

    /// <summary>
    /// Puts the complete file <paramref name="temp"/> at <paramref name="path"/> unless a file is there already, in one
    /// step: <c>link(2)</c> fails with EEXIST when another process won the race, and then its file (and machine id) is
    /// the one. <see cref="File.Move(string, string, bool)"/> is not that: it checks and renames in two steps, and two
    /// processes both "created" the file in a test. Windows has no link here: a check then a move, which two
    /// processes racing on the very first use could both pass.
    /// </summary>
    /// <returns>True when this call created the file; false when it already existed.</returns>
    private static bool LinkIntoPlace(string temp, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(temp, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }

        if (Link(temp, path) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == EExist
            ? false
            : throw new FilixException($"{path}: cannot create the sync settings (link failed with errno {errno}). Check that the data folder is writable.", path);
    }

    private const int EExist = 17;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string created);

    private static SyncSettings Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FilixException($"{path}: cannot read the sync settings ({ex.Message.TrimEnd('.')}). Check its permissions.", path, ex);
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "it must be a JSON object such as { \"machine\": \"laptop-3f9a0c1e\", \"enabled\": [] }");
            }

            if (!root.TryGetProperty("machine", out var machine) || machine.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(machine.GetString()))
            {
                throw Invalid(path,
                    "\"machine\" is missing or not a non-empty string. It is this data folder's machine id and must never change: " +
                    "restore it from a backup, or, only if this folder never synced, delete the file to have a new id made");
            }

            var enabled = new List<string>();
            if (root.TryGetProperty("enabled", out var list))
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid(path, "\"enabled\" must be a list of domains or domain.table names, such as [\"music\"]");
                }

                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        throw Invalid(path, $"\"enabled\" holds {item.GetRawText()}, which is not a name; give domains or domain.table names as strings");
                    }

                    enabled.Add(item.GetString()!);
                }
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("machine" or "enabled"))
                {
                    throw Invalid(path, $"unknown setting \"{property.Name}\"; the settings are \"machine\" and \"enabled\"");
                }
            }

            return new SyncSettings(path, machine.GetString()!, [.. enabled.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        }
        catch (JsonException ex)
        {
            throw Invalid(path, $"it is not valid JSON ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    /// <summary>Checks one entry against the known schemas and returns it in its canonical spelling.</summary>
    private static string Validate(string path, string entry, IReadOnlyList<DatabaseSchema> schemas, string where)
    {
        var optional = schemas.SelectMany(s => s.SyncTables).Where(t => t.Mode == SyncMode.Optional).ToList();
        var valid = optional.Select(t => t.Domain).Distinct(StringComparer.Ordinal)
            .Concat(optional.Select(t => t.Domain + "." + t.Name)).ToList();
        var match = valid.FirstOrDefault(v => string.Equals(v, entry, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return match;
        }

        var dot = entry.IndexOf('.', StringComparison.Ordinal);
        var domainName = dot < 0 ? entry : entry[..dot];
        var schema = schemas.FirstOrDefault(s => string.Equals(s.Domain, domainName, StringComparison.OrdinalIgnoreCase));
        var why = schema switch
        {
            null => $"there is no domain '{domainName}' (domains: {string.Join(", ", schemas.Select(s => s.Domain))})",
            _ when dot >= 0 && !schema.Tables.Contains(entry[(dot + 1)..], StringComparer.OrdinalIgnoreCase) =>
                $"domain '{schema.Domain}' has no table '{entry[(dot + 1)..]}' (tables: {string.Join(", ", schema.Tables)})",
            _ when schema.SyncTables.Count == 0 => $"every table of '{schema.Domain}' is local: it never leaves this machine",
            _ when dot < 0 => $"'{schema.Domain}' has no optional tables: its shared tables always sync",
            _ when schema.SyncTables.Any(t => string.Equals(t.Name, entry[(dot + 1)..], StringComparison.OrdinalIgnoreCase)) =>
                $"'{entry}' is a sync table: it always syncs",
            _ => $"'{entry}' is a local table: it never leaves this machine",
        };
        var choices = valid.Count == 0 ? "no optional tables exist in this build" : "the optional ones are " + string.Join(", ", valid);
        throw new FilixException($"{path}: '{entry}' {where} cannot be enabled: {why}; {choices}.", path);
    }

    private SyncSettings Save(IReadOnlyList<string> enabled)
    {
        var saved = new SyncSettings(Path, MachineId, [.. enabled.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        File.Move(saved.WriteTemp(), Path, overwrite: true);
        return saved;
    }

    /// <summary>Writes the settings to a temporary file beside <see cref="Path"/> (same folder, so the move is a
    /// rename or link on one file system) and flushes it, so the file that lands is complete.</summary>
    private string WriteTemp()
    {
        var temp = Path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".tmp";
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("machine", MachineId);
                writer.WriteStartArray("enabled");
                foreach (var entry in Enabled)
                {
                    writer.WriteStringValue(entry);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
        }

        return temp;
    }

    private static FilixException Invalid(string path, string why, Exception? inner = null) =>
        new($"{path}: {why}. Fix the file (docs/cli.md, \"Sync settings\").", path, inner);
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Filix.Cli.Domains;
using Filix.Runtime;
using Filix.Runtime.Sync;
using Filix.Testing;

namespace Filix.Cli.Tests.Sync;

/// <summary>filix.sync.json: the machine id is made once per data folder and never changes, concurrent first uses
/// agree on it, and what may be enabled is checked against the domains this build knows.</summary>
public sealed partial class SyncSettingsTests
{
    private static IEnumerable<DatabaseSchema> Schemas => DomainRegistry.All.Select(d => d.Schema);

    [Fact]
    public void The_machine_id_is_created_once_and_kept()
    {
        using var temp = TempDirectory.Create("sync-settings");

        var first = SyncSettings.Load(temp.Path, Schemas);
        var again = SyncSettings.Load(temp.Path, Schemas);
        SyncSettings.Enable(temp.Path, "music", Schemas);
        var afterEnable = SyncSettings.Load(temp.Path, Schemas);

        Assert.Matches(MachineIdPattern(), first.MachineId);
        Assert.StartsWith(Regex.Replace(Environment.MachineName.ToLowerInvariant(), "[^a-z0-9]", "-").Trim('-') + "-", first.MachineId, StringComparison.Ordinal);
        Assert.Equal(first.MachineId, again.MachineId);
        Assert.Equal(first.MachineId, afterEnable.MachineId);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, SyncSettings.FileName)));
        Assert.Equal(first.MachineId, json.RootElement.GetProperty("machine").GetString());
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp")); // no temporary file left behind

        using var other = TempDirectory.Create("sync-settings");
        Assert.NotEqual(first.MachineId, SyncSettings.Load(other.Path, Schemas).MachineId); // two data folders, two machines
    }

    [Fact]
    public async Task Processes_and_threads_creating_the_id_at_once_agree_on_one()
    {
        for (var round = 0; round < 20; round++)
        {
            using var temp = TempDirectory.Create("sync-settings");
            using var start = new Barrier(8);
            var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return SyncSettings.Load(temp.Path, Schemas).MachineId;
            })));

            Assert.Single(ids.Distinct());
            Assert.Equal(ids[0], SyncSettings.Load(temp.Path, Schemas).MachineId);
            Assert.Single(Directory.GetFiles(temp.Path)); // the settings file alone
        }

        // Two real processes racing on a fresh folder: both report the same machine.
        using var folder = TempDirectory.Create("sync-settings");
        var runs = await Task.WhenAll(
            FilixProcess.RunAsync(["sync", "enable", "music", "--data", folder.Path, "--json"]),
            FilixProcess.RunAsync(["sync", "enable", "music.playlists", "--data", folder.Path, "--json"]));
        var machines = runs.Select(r =>
        {
            Assert.True(r.ExitCode == 0, r.Error);
            using var json = JsonDocument.Parse(r.Output);
            return json.RootElement.GetProperty("machine").GetString();
        }).ToList();
        Assert.Single(machines.Distinct());
        Assert.Equal(machines[0], SyncSettings.Load(folder.Path, Schemas).MachineId);
    }

    [Fact]
    public void Enable_and_disable_change_which_optional_tables_sync()
    {
        using var temp = TempDirectory.Create("sync-settings");
        var tracks = Table("music", "tracks");
        var playlists = Table("music", "playlists");
        var entities = Table("entities", "entities");

        var none = SyncSettings.Load(temp.Path, Schemas).ToOptions("Host=x");
        Assert.False(none.Syncs(tracks));
        Assert.True(none.Syncs(entities)); // sync tables always sync

        var one = SyncSettings.Enable(temp.Path, "Music.Playlists", Schemas); // spelled as the user likes
        Assert.Equal(["music.playlists"], one.Enabled);
        Assert.True(one.ToOptions("Host=x").Syncs(playlists));
        Assert.False(one.ToOptions("Host=x").Syncs(tracks));

        var all = SyncSettings.Enable(temp.Path, "music", Schemas);
        Assert.Equal(["music", "music.playlists"], all.Enabled);
        Assert.True(SyncSettings.Load(temp.Path, Schemas).ToOptions("Host=x").Syncs(tracks));

        var refused = Assert.Throws<FilixException>(() => SyncSettings.Disable(temp.Path, "music.tracks", Schemas));
        Assert.Contains(SyncSettings.FileName, refused.Message, StringComparison.Ordinal);
        Assert.Contains("'music.tracks' syncs because its whole domain 'music' is enabled", refused.Message, StringComparison.Ordinal);

        var off = SyncSettings.Disable(temp.Path, "music", Schemas); // the domain and its table entries
        Assert.Empty(off.Enabled);
        Assert.False(SyncSettings.Load(temp.Path, Schemas).ToOptions("Host=x").Syncs(playlists));
    }

    [Theory]
    [InlineData("entities", "'entities' has no optional tables: its shared tables always sync")]
    [InlineData("files", "every table of 'files' is local")]
    [InlineData("musik", "there is no domain 'musik'")]
    [InlineData("music.songs", "domain 'music' has no table 'songs'")]
    [InlineData("papers.papers", "'papers.papers' is a sync table: it always syncs")]
    public void Enabling_what_is_not_optional_names_the_file_and_the_entry(string entry, string why)
    {
        using var temp = TempDirectory.Create("sync-settings");

        var error = Assert.Throws<FilixException>(() => SyncSettings.Enable(temp.Path, entry, Schemas));

        Assert.StartsWith(Path.Combine(temp.Path, SyncSettings.FileName) + ": '" + entry + "' given to enable cannot be enabled: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("the optional ones are music, music.artists, music.albums, music.tracks, music.cues, music.playlists, music.playlist_tracks.", error.Message, StringComparison.Ordinal);
        Assert.Empty(SyncSettings.Load(temp.Path, Schemas).Enabled); // nothing half-changed
    }

    [Theory]
    [InlineData("""{ "machine": "m-1", "enabled": ["musik"] }""", "'musik' in \"enabled\" cannot be enabled: there is no domain 'musik'")]
    [InlineData("""{ "machine": "m-1", "enabled": "music" }""", "\"enabled\" must be a list")]
    [InlineData("""{ "machine": "m-1", "enabled": [3] }""", "\"enabled\" holds 3, which is not a name")]
    [InlineData("""{ "enabled": [] }""", "\"machine\" is missing")]
    [InlineData("""{ "machine": "m-1", "enable": [] }""", "unknown setting \"enable\"")]
    [InlineData("""{ "machine": "m-1", """, "it is not valid JSON")]
    public void A_hand_edited_file_that_is_wrong_is_named_with_what_is_wrong(string content, string expected)
    {
        using var temp = TempDirectory.Create("sync-settings");
        var path = Path.Combine(temp.Path, SyncSettings.FileName);
        File.WriteAllText(path, content);

        var error = Assert.Throws<FilixException>(() => SyncSettings.Load(temp.Path, Schemas));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(path)); // never rewritten over
    }

    [Fact]
    public async Task The_commands_print_the_settings_and_refuse_an_unknown_name_as_a_usage_error()
    {
        using var temp = TempDirectory.Create("sync-settings");

        var enabled = await Cli.RunAsync("sync", "enable", "music", "--data", temp.Path);
        var unknown = await Cli.RunAsync("sync", "enable", "musik", "--data", temp.Path);
        var disabled = await Cli.RunAsync("sync", "disable", "music", "--data", temp.Path, "--json");

        Assert.True(enabled.ExitCode == 0, enabled.ToString());
        Assert.Contains("enabled: music", enabled.Output, StringComparison.Ordinal);
        Assert.Matches(@"music\.playlist_tracks\s+syncs", enabled.Output);
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("filix: " + Path.Combine(temp.Path, SyncSettings.FileName) + ": 'musik' given to enable cannot be enabled: there is no domain 'musik'", unknown.Error, StringComparison.Ordinal);
        Assert.True(disabled.ExitCode == 0, disabled.ToString());
        using var json = JsonDocument.Parse(disabled.Output);
        Assert.Equal(0, json.RootElement.GetProperty("enabled").GetArrayLength());
        Assert.All(json.RootElement.GetProperty("tables").EnumerateArray(), t => Assert.False(t.GetProperty("enabled").GetBoolean()));
    }

    private static SyncTable Table(string domain, string name) =>
        DomainRegistry.Find(domain).Schema.SyncTables.Single(t => t.Name == name);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?-[0-9a-f]{8}$")]
    private static partial Regex MachineIdPattern();
}

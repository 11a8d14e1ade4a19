using System.Text.Json;
using Filix.Testing;

namespace Filix.Cli.Tests;

/// <summary><c>filix check</c>: exit 0 on a healthy data folder, 1 with the problem, its fix and the restore command
/// on a damaged one; creates nothing.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDirectory _data = TempDirectory.Create("check");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_healthy_data_folder_exits_0_and_leaves_no_wal_behind()
    {
        var seeded = await Cli.RunAsync("run", "--data", _data.Path, "--scale", Cli.TestScale);
        Assert.True(seeded.ExitCode == 0, seeded.ToString());

        var result = await Cli.RunAsync("check", "--data", _data.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("entities     healthy", result.Output, StringComparison.Ordinal);
        Assert.Contains("integrity_check ok", result.Output, StringComparison.Ordinal);
        Assert.Contains("All databases are healthy.", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(_data.File("entities.db-wal")), "check left a -wal (a false unclean-close marker)");
    }

    [Fact]
    public async Task An_empty_data_folder_is_healthy_and_check_creates_nothing()
    {
        var result = await Cli.RunAsync("check", "--data", _data.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("music        missing", result.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_data.Path));
    }

    [Fact]
    public async Task A_damaged_database_exits_1_naming_the_file_the_fix_and_the_restore_command()
    {
        File.WriteAllText(_data.File("music.db"), "not a database");

        var result = await Cli.RunAsync("check", "--data", _data.Path, "--domain", "music", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var music = Assert.Single(JsonDocument.Parse(result.Output).RootElement.GetProperty("databases").EnumerateArray());
        Assert.Equal("damaged", music.GetProperty("status").GetString());
        var problem = Assert.Single(music.GetProperty("problems").EnumerateArray());
        Assert.Equal("NotSqlite", problem.GetProperty("kind").GetString());
        Assert.Contains(_data.File("music.db"), problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal($"filix restore --latest --domain music --data {_data.Path}", music.GetProperty("restore_command").GetString());
    }
}

using System.Text.Json;
using Filix.Reliability.Tests.Torture;

namespace Filix.Reliability.Tests.Doctor;

/// <summary><c>filix doctor</c> on a healthy data folder and on one with damage.</summary>
public sealed class DoctorCommandTests
{
    [Fact]
    public async Task A_healthy_folder_exits_zero_and_says_so()
    {
        using var folder = await DoctorFolder.CreateAsync();
        var (exit, output, error) = await folder.RunAsync("doctor");

        Assert.True(exit == 0, output + error);
        Assert.Contains("Healthy: 7 databases checked, no problems", output);
        Assert.DoesNotContain("PROBLEM", output);
        foreach (var domain in new[] { "entities", "papers", "contacts", "transcripts", "music", "storage", "files" })
        {
            Assert.Contains($"{domain}: {folder.DatabaseOf(domain)}", output);
        }

        // Doctor leaves no -wal behind: the next open would take it for the marker of an unclean close.
        Assert.Empty(Directory.GetFiles(folder.Path, "*.db-wal"));
    }

    [Fact]
    public async Task A_corrupted_page_names_the_file_and_the_restore_command_and_exits_non_zero()
    {
        using var folder = await DoctorFolder.CreateAsync();
        var papers = folder.DatabaseOf("papers");
        Corruption.ZeroPage(papers, Corruption.PageCount(papers));

        var (exit, output, error) = await folder.RunAsync("doctor");

        Assert.True(exit == 1 && output.Contains("PROBLEM", StringComparison.Ordinal), output + error);
        Assert.True(output.Contains($"PROBLEM  integrity      '{papers}' is damaged", StringComparison.Ordinal), output);
        Assert.Contains($"filix restore --latest --domain papers --data {folder.Path}", output);
        Assert.Contains("Unhealthy: 1 problem in papers", output);
    }

    [Fact]
    public async Task Json_lists_every_check_of_every_database_with_the_fix_of_each_problem()
    {
        using var folder = await DoctorFolder.CreateAsync();
        var music = folder.DatabaseOf("music");
        Corruption.ZeroPage(music, Corruption.PageCount(music));

        var (exit, output, _) = await folder.RunAsync("doctor", "--json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        var databases = json.RootElement.GetProperty("databases").EnumerateArray().ToList();
        Assert.Equal(7, databases.Count);
        var damaged = Assert.Single(databases, d => d.GetProperty("findings").EnumerateArray().Any(f => f.GetProperty("status").GetString() == "problem"));
        Assert.Equal("music", damaged.GetProperty("domain").GetString());
        var problem = damaged.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("status").GetString() == "problem");
        Assert.Equal("integrity", problem.GetProperty("check").GetString());
        Assert.Contains("filix restore --latest --domain music", problem.GetProperty("fix").GetString());
        Assert.False(json.RootElement.GetProperty("healthy").GetBoolean());
    }
}

using Filix.Testing;
using System.Text.Json;

namespace Filix.Cli.Tests;

/// <summary><c>filix migrate</c> and <c>filix migrations</c> on bad input: one line on stderr naming what is wrong,
/// an exit code, no stack trace, nothing created.</summary>
public sealed class MigrateCommandTests
{
    [Theory]
    [InlineData("migrations")]
    [InlineData("migrate")]
    public async Task A_data_folder_that_does_not_exist_is_named_and_not_created(string command)
    {
        using var temp = TempDirectory.Create("cli");
        var missing = temp.File("nowhere");

        var result = await Cli.RunAsync(command, "--data", missing);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("filix: There is no data folder at '" + missing + "'", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output); // not a list of "pending" migrations for databases that are not there
        Assert.False(Directory.Exists(missing));
    }

    [Theory]
    [InlineData("migrations")]
    [InlineData("migrate")]
    public async Task An_unknown_domain_is_a_usage_error_listing_the_domains(string command)
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        Directory.CreateDirectory(data);

        var result = await Cli.RunAsync(command, "--data", data, "--domain", "nope");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("filix: unknown domain 'nope'. Valid domains: entities, papers, contacts, transcripts, music, storage, files.", result.Error.Trim());
        Assert.Empty(Directory.GetFiles(data));
    }

    [Fact]
    public async Task The_domain_is_matched_without_regard_to_case()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        Directory.CreateDirectory(data);

        var migrate = await Cli.RunAsync("migrate", "--data", data, "--domain", "Entities");
        var status = await Cli.RunAsync("migrations", "--data", data, "--domain", "ENTITIES");

        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.All(LiveHistory.Of("entities"), m => Assert.Contains($"entities ({Path.Combine(data, "entities.db")}): applied {m}", migrate.Output, StringComparison.Ordinal));
        Assert.Equal(["entities.db"], Directory.GetFiles(data, "*.db").Select(Path.GetFileName));
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.All(LiveHistory.Of("entities"), m => Assert.Contains("  applied  " + m, status.Output, StringComparison.Ordinal));
        Assert.DoesNotContain("pending", status.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("migrations")]
    [InlineData("migrate")]
    public async Task An_unreachable_upstream_is_one_line_naming_the_setting_and_nothing_is_changed(string command)
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        Directory.CreateDirectory(data);

        var result = await Cli.RunAsync(command, "--data", data, "--domain", "entities", "--upstream", "Host=127.0.0.1;Port=1;Username=filix;Password=secret;Timeout=5");

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("filix: The Postgres upstream given by --upstream (host 127.0.0.1, port 1, ", line, StringComparison.Ordinal);
        Assert.Contains("Check that Postgres is running", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(data)); // the upstream is reached first, before any file is touched
    }

    [Fact]
    public async Task An_upstream_that_is_not_a_connection_string_is_a_usage_error()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        Directory.CreateDirectory(data);

        var result = await Cli.RunAsync("migrations", "--data", data, "--upstream", "nonsense=1");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("filix: --upstream is not a valid Postgres connection string", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_prints_one_document_of_every_database_history()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        Directory.CreateDirectory(data);

        var migrate = await Cli.RunAsync("migrate", "--data", data, "--domain", "papers", "--json");
        var status = await Cli.RunAsync("migrations", "--data", data, "--json");

        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        using (var json = JsonDocument.Parse(migrate.Output))
        {
            Assert.Equal("migrate", json.RootElement.GetProperty("command").GetString());
            Assert.False(json.RootElement.GetProperty("dryRun").GetBoolean());
            var papers = Assert.Single(json.RootElement.GetProperty("databases").EnumerateArray());
            Assert.Equal(Path.Combine(data, "papers.db"), papers.GetProperty("database").GetString());
            Assert.Equal(LiveHistory.Of("papers"), papers.GetProperty("pending").EnumerateArray().Select(e => e.GetString()));
        }

        Assert.True(status.ExitCode == 0, status.ToString());
        using (var json = JsonDocument.Parse(status.Output))
        {
            Assert.True(json.RootElement.GetProperty("dryRun").GetBoolean());
            var databases = json.RootElement.GetProperty("databases").EnumerateArray().ToList();
            Assert.Equal(7, databases.Count);
            var papers = databases.Single(d => d.GetProperty("domain").GetString() == "papers");
            Assert.Equal("0001", papers.GetProperty("applied")[0].GetProperty("id").GetString());
            Assert.Empty(papers.GetProperty("pending").EnumerateArray());
        }
    }

    [Theory]
    [InlineData("migrations")]
    [InlineData("migrate")]
    public async Task A_file_that_is_not_a_database_gets_the_message_report_gives(string command)
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        Directory.CreateDirectory(data);
        var papers = Path.Combine(data, "papers.db");
        await File.WriteAllTextAsync(papers, "these are notes, not a database\n");

        var result = await Cli.RunAsync(command, "--data", data, "--domain", "papers");
        var report = await Cli.RunAsync("report", "--data", data);

        Assert.True(result.ExitCode == 1, result.ToString());
        var message = $"'{papers}' is not a SQLite database (or it is encrypted or badly damaged).";
        Assert.StartsWith("filix: " + message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("writable", result.Error, StringComparison.Ordinal);
        Assert.Contains($"filix: papers: {result.Error["filix: ".Length..].Trim()}", report.Error, StringComparison.Ordinal); // word for word
        Assert.Equal("these are notes, not a database\n", await File.ReadAllTextAsync(papers));
    }
}

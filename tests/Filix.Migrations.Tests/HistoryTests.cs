using Filix.Generators.Migrations;

namespace Filix.Migrations.Tests;

/// <summary>
/// A damaged history folder (FLX0111) or an unrecorded change in check mode (FLX0112) stops the build with the id,
/// the file to look at and what to do, and nothing is written.
/// </summary>
public sealed class HistoryTests
{
    private const string First = "0001_initial";
    private const string Second = "0002_rename_drafts_and_more";

    [Theory]
    [InlineData("snapshot deleted", Second, ".sqlite.sql", $"{Second} has no {Second}.snapshot.json")]
    [InlineData("postgres script deleted", First, ".sqlite.sql", $"{First} has no {First}.postgres.sql")]
    [InlineData("checksum line deleted", First, ".sqlite.sql", $"{First} is not listed in migrations.sum")]
    [InlineData("files deleted", null, "migrations.sum", $"migrations.sum lists {Second}, but its files are missing")]
    [InlineData("first migration deleted", Second, ".sqlite.sql", $"expected migration 0001, found {Second}")]
    [InlineData("snapshot unreadable", Second, ".snapshot.json", $"{Second}.snapshot.json is not a valid snapshot")]
    public void A_damaged_history_stops_the_build_at_the_file_and_writes_nothing(string damage, string? stem, string located, string detail)
    {
        using var history = new TestHistory();
        history.RecordVersion(1);
        history.RecordVersion(2);
        Damage(history, damage);
        var before = Files(history);

        var result = history.Record(TestHistory.Version(3));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("FLX0111", diagnostic.Id);
        Assert.Equal(stem is null ? Path.Combine(history.HistoryDir, "library", located) : history.MigrationFilePath(stem, located), diagnostic.Span.Path);
        Assert.Contains("The migration history of domain 'library' is incomplete: " + detail, diagnostic.Message);
        Assert.Contains("Restore the folder from version control", diagnostic.Message);
        Assert.Empty(result.Files);
        Assert.Equal(before, Files(history));
    }

    [Fact]
    public void The_tool_reports_an_incomplete_history_in_the_compilers_format_and_fails()
    {
        using var history = new TestHistory();
        history.RecordVersion(1);
        Damage(history, "checksum line deleted");

        var (exitCode, output) = history.RunTool(check: true);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{history.MigrationFilePath(First, ".sqlite.sql")}(1,1): error FLX0111: The migration history of domain 'library' is incomplete: {First} is not listed in migrations.sum.", output);
    }

    [Fact]
    public void Check_mode_fails_with_FLX0112_at_the_yaml_file_when_a_change_is_not_recorded()
    {
        using var history = new TestHistory();
        history.RecordVersion(1);
        File.WriteAllText(history.SchemaFile, TestHistory.Version(2));
        var before = Files(history);

        var (exitCode, output) = history.RunTool(check: true);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{history.SchemaFile}(1,1): error FLX0112: The schema of 'library' changed but its migration {Second} is not recorded.", output);
        Assert.Contains("Build once without -p:FilixRecordMigrations=false (an ordinary 'dotnet build' records it in migrations/library/ beside the schema file) and commit that folder.", output);
        Assert.Equal(before, Files(history));
    }

    private static void Damage(TestHistory history, string damage)
    {
        var sum = Path.Combine(history.HistoryDir, "library", MigrationFile.SumFile);
        switch (damage)
        {
            case "snapshot deleted":
                File.Delete(history.MigrationFilePath(Second, ".snapshot.json"));
                break;
            case "postgres script deleted":
                File.Delete(history.MigrationFilePath(First, ".postgres.sql"));
                break;
            case "checksum line deleted":
                File.WriteAllLines(sum, File.ReadAllLines(sum).Where(line => !line.StartsWith(First, StringComparison.Ordinal)));
                break;
            case "files deleted":
                DeleteMigration(history, Second);
                break;
            case "first migration deleted":
                DeleteMigration(history, First);
                File.WriteAllLines(sum, File.ReadAllLines(sum).Where(line => !line.StartsWith(First, StringComparison.Ordinal)));
                break;
            case "snapshot unreadable":
                File.WriteAllText(history.MigrationFilePath(Second, ".snapshot.json"), "domain: [not a snapshot");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(damage), damage, "unknown damage");
        }
    }

    private static void DeleteMigration(TestHistory history, string stem)
    {
        foreach (var suffix in new[] { ".sqlite.sql", ".postgres.sql", ".snapshot.json" })
        {
            File.Delete(history.MigrationFilePath(stem, suffix));
        }
    }

    /// <summary>Every file of the history folder with its content, to prove nothing was written.</summary>
    private static string Files(TestHistory history) => string.Join("\n", Directory
        .GetFiles(history.HistoryDir, "*", SearchOption.AllDirectories)
        .OrderBy(f => f, StringComparer.Ordinal)
        .Select(f => f + "\n" + File.ReadAllText(f)));
}

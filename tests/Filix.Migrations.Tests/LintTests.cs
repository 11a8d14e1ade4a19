using Filix.Generators.Migrations;
using Filix.Generators.Parsing;
using Filix.Migrations.Tool;

namespace Filix.Migrations.Tests;

/// <summary>Each destructive kind is an error with its own id at the YAML line of its element, unless allowed.</summary>
public sealed class LintTests
{
    private static readonly string V1 = TestHistory.Version(1);

    [Theory]
    [InlineData("drop table", "FLX0101", "drafts")]
    [InlineData("drop column", "FLX0102", "books.notes")]
    [InlineData("narrow type", "FLX0103", "books.price")]
    [InlineData("required without default", "FLX0104", "authors.born")]
    [InlineData("new required column", "FLX0104", "books.isbn")]
    [InlineData("stop sharing", "FLX0105", "books")]
    public void A_destructive_change_fails_at_its_line_unless_allowed(string change, string id, string element)
    {
        var (yaml, line) = Change(change);
        var diagnostic = Assert.Single(Plan(yaml).Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(line, diagnostic.Span.StartLine + 1);
        Assert.Contains($"'{element}'", diagnostic.Message);

        var allowed = yaml.Replace("domain: library", $"domain: library\nallow_destructive:\n  - {element}");
        var plan = Plan(allowed);
        Assert.Empty(plan.Diagnostics);
        Assert.Contains(plan.Operations, o => o.IsDestructive);
    }

    [Fact]
    public void Blob_to_text_is_refused_at_its_line_even_when_allowed()
    {
        // SQLite cannot test bytes for valid UTF-8 (Postgres refuses invalid ones), so no consent makes it safe.
        var blob = V1.Replace("      notes: { type: text, nullable: true }\n", "      notes: { type: text, nullable: true }\n      cover: { type: blob, nullable: true }\n");
        var recorded = SchemaParser.Parse("v1.filix.yaml", blob, string.Empty).Spec!;
        foreach (var yaml in new[] { blob, blob.Replace("domain: library", "domain: library\nallow_destructive:\n  - books.cover") })
        {
            var text = yaml.Replace("cover: { type: blob", "cover: { type: text");
            var desired = SchemaParser.Parse("library.filix.yaml", text, string.Empty);
            Assert.Empty(desired.Diagnostics);
            var diagnostic = Assert.Single(MigrationPlanner.Plan(recorded, desired.Spec!, 2, text)!.Diagnostics);
            Assert.Equal("FLX0106", diagnostic.Id);
            Assert.Equal(text[..text.IndexOf("      cover:", StringComparison.Ordinal)].Count(c => c == '\n') + 1, diagnostic.Span.StartLine + 1);
            Assert.Equal(6, diagnostic.Span.StartColumn);
            Assert.Contains("Column 'books.cover' changes from blob to text, which no migration can do safely: SQLite cannot check that stored bytes are valid UTF-8", diagnostic.Message);
        }
    }

    [Fact]
    public void Widening_renaming_and_defaults_are_not_destructive()
    {
        var yaml = V1.Replace("price: { type: integer, nullable: true }", "price: { type: real, nullable: true }")
            .Replace("born: { type: integer, nullable: true }", "born: { type: integer, default: 0 }")
            .Replace("      name: text", "      full_name: { type: text, renamed_from: name }");
        var plan = Plan(yaml);
        Assert.Empty(plan.Diagnostics);
        Assert.Contains(plan.Operations, o => o is RenameColumnOperation { OldName: "name", NewName: "full_name" });
        Assert.DoesNotContain(plan.Operations, o => o.IsDestructive);
    }

    [Fact]
    public void The_build_fails_with_the_error_at_the_yaml_line()
    {
        using var history = new TestHistory();
        history.RecordVersion(1);
        var (yaml, line) = Change("drop column");
        File.WriteAllText(history.SchemaFile, yaml);

        var (exitCode, output) = history.RunTool();
        Assert.Equal(1, exitCode);
        Assert.Contains($"{history.SchemaFile}({line},", output);
        Assert.Contains("error FLX0102:", output);
        Assert.Single(Directory.GetFiles(Path.Combine(history.HistoryDir, "library"), "*.sqlite.sql"));
    }

    [Fact]
    public void Check_mode_reports_an_unrecorded_change_and_writes_nothing()
    {
        using var history = new TestHistory();
        history.RecordVersion(1);
        File.WriteAllText(history.SchemaFile, TestHistory.Version(2));

        var result = MigrationRecorder.Record(history.SchemaFile, history.HistoryDir, check: true);
        Assert.Equal("0002_rename_drafts_and_more", result.Created!.FileStem);
        Assert.Empty(result.Files);
        Assert.Single(Directory.GetFiles(Path.Combine(history.HistoryDir, "library"), "*.sqlite.sql"));
        Assert.NotEmpty(MigrationRecorder.Record(history.SchemaFile, history.HistoryDir).Files);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(history.HistoryDir, "library"), "*.sqlite.sql").Length);
    }

    /// <summary>Version 1 with one change, and the 1-based line the lint should point at.</summary>
    private static (string Yaml, int Line) Change(string change)
    {
        var yaml = change switch
        {
            "drop table" => V1[..V1.IndexOf("  drafts:", StringComparison.Ordinal)],
            "drop column" => V1.Replace("      notes: { type: text, nullable: true }\n", string.Empty),
            "narrow type" => V1.Replace("price: { type: integer, nullable: true }", "price: { type: boolean, nullable: true }"),
            "required without default" => V1.Replace("born: { type: integer, nullable: true }", "born: integer"),
            "new required column" => V1.Replace("      title: text\n", "      title: text\n      isbn: text\n"),
            "stop sharing" => V1.Replace("books:\n    sync: sync", "books:\n    sync: local"),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var marker = change switch
        {
            "drop table" => "tables:",
            "drop column" => "    columns:\n      id: { type: integer",
            "narrow type" => "      price:",
            "required without default" => "      born:",
            "new required column" => "      isbn:",
            _ => "    sync: local",
        };
        var line = yaml[..yaml.IndexOf(marker, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        return (yaml, line);
    }

    private static PlannedMigration Plan(string yaml)
    {
        var recorded = SchemaParser.Parse("v1.filix.yaml", V1, string.Empty).Spec!;
        var desired = SchemaParser.Parse("library.filix.yaml", yaml, string.Empty);
        Assert.Empty(desired.Diagnostics);
        return MigrationPlanner.Plan(recorded, desired.Spec!, 2, yaml)!;
    }
}

using System.Collections.Immutable;
using Filix.Generators;
using Filix.Generators.Migrations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Filix.Migrations.Tests;

/// <summary>The generator embeds the recorded migrations (ids, names, checksums, SQL per dialect) into the schema
/// class the runtime opens databases with, so the files are not needed at run time.</summary>
public sealed class EmbeddingTests
{
    [Fact]
    public void Recorded_migrations_are_embedded_in_order_with_their_checksums()
    {
        using var history = new TestHistory();
        history.RecordVersion(1);
        var expected = history.RecordVersion(2).Migrations;

        var texts = Directory.GetFiles(history.SchemaDir, "*", SearchOption.AllDirectories)
            .Select(path => (AdditionalText)new FileText(path)).ToImmutableArray();
        var driver = CSharpGeneratorDriver.Create(new FilixGenerator()).AddAdditionalTexts(texts);
        var result = driver.RunGenerators(CSharpCompilation.Create("test")).GetRunResult();

        var source = Assert.Single(result.GeneratedTrees, t => t.FilePath.EndsWith("Library.Migrations.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Equal(2, expected.Count);
        Assert.True(source.IndexOf(expected[0].Checksum, StringComparison.Ordinal) < source.IndexOf(expected[1].Checksum, StringComparison.Ordinal));
        Assert.Contains("\"0002\", \"rename_drafts_and_more\"", source);
        Assert.Contains(expected[1].SchemaHash, source);
        Assert.Contains("ALTER TABLE \"drafts\" RENAME TO \"notes_local\"", source); // raw string literal: the SQL verbatim
        Assert.Contains("Migrations = MigrationSet.All,", Assert.Single(result.GeneratedTrees, t => t.FilePath.EndsWith("Library.Schema.g.cs", StringComparison.Ordinal)).ToString());
        Assert.Equal(SchemaHash.Checksum(File.ReadAllText(history.MigrationFilePath(expected[1].ToString(), ".sqlite.sql")),
            File.ReadAllText(history.MigrationFilePath(expected[1].ToString(), ".postgres.sql"))), expected[1].Checksum);
    }

    /// <summary>Defect 1 of issue 10 through the generator: a reordered schema whose history ends in a migration with
    /// the legacy hash (the seven domains' 0001_initial) carries that migration's hash, read from its snapshot.</summary>
    [Fact]
    public void A_reordered_schema_carries_the_hash_of_the_migration_whose_snapshot_it_equals()
    {
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "Filix.Schema.sln")))
        {
            repo = Path.GetDirectoryName(repo.TrimEnd(Path.DirectorySeparatorChar))!;
        }

        var history = Path.Combine(repo, "schema", "migrations", "music");
        var legacyHash = MigrationScript.ReadSchemaHash(File.ReadAllText(Path.Combine(history, "0001_initial.sqlite.sql")))!;
        var reordered = ReorderTests.Reordered(File.ReadAllText(Path.Combine(history, "0001_initial.snapshot.json")));
        // Only the committed 0001_initial (never rewritten), so later recorded migrations of music do not change the case.
        var texts = Directory.GetFiles(history, "0001_initial.*").Select(path => (AdditionalText)new FileText(path))
            .Append(new InlineText(Path.Combine(repo, "schema", "music.filix.yaml"), reordered)).ToImmutableArray();
        var driver = CSharpGeneratorDriver.Create(new FilixGenerator()).AddAdditionalTexts(texts);
        var result = driver.RunGenerators(CSharpCompilation.Create("test")).GetRunResult();

        var source = Assert.Single(result.GeneratedTrees, t => t.FilePath.EndsWith("Music.Migrations.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains($"public const string Hash = \"{legacyHash}\";", source);
        Assert.NotEqual(legacyHash, SchemaHash.Legacy(Filix.Generators.Sql.DdlBuilder.Statements(
            Filix.Generators.Parsing.SchemaParser.Parse("music.filix.yaml", reordered, string.Empty).Spec!, Filix.Generators.Sql.SqlDialect.Sqlite)));
    }

    private sealed class InlineText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(Path));
    }
}

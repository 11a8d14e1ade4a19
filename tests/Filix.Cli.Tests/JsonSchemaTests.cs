using System.Text.Json;
using Filix.Generators.Model;
using Filix.Generators.Parsing;

namespace Filix.Cli.Tests;

/// <summary>
/// schema/filix.schema.json gives editors completion and validation for *.filix.yaml; these tests keep it in step
/// with the parser, the one authority on the language. The parser's allowed keys are read from its own
/// unknown-key diagnostic (which lists them), so no reflection and no copy of its arrays is needed.
/// </summary>
public sealed class JsonSchemaTests
{
    private static readonly string SchemaFolder = Path.Combine(AppContext.BaseDirectory, "schema");

    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(SchemaFolder, "filix.schema.json"))).RootElement;

    [Fact]
    public void Root_keys_match_the_parser()
    {
        var allowed = AllowedKeys("domain: d\nbogus_key: 1\ntables:\n  t:\n    sync: sync\n    columns:\n      id: { type: text, primary_key: true }\n");
        Assert.Equal(allowed, Keys(Schema));
        Assert.Equal(["domain", "tables"], Schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.False(Schema.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Table_keys_match_the_parser()
    {
        var allowed = AllowedKeys("domain: d\ntables:\n  t:\n    sync: sync\n    bogus_key: 1\n    columns:\n      id: { type: text, primary_key: true }\n");
        Assert.Equal(allowed, Keys(Definition("table")));
    }

    [Fact]
    public void Column_keys_match_the_parser()
    {
        var allowed = AllowedKeys("domain: d\ntables:\n  t:\n    sync: sync\n    columns:\n      id: { type: text, primary_key: true, bogus_key: 1 }\n");
        Assert.Equal(allowed, Keys(Definition("column")));
    }

    [Fact]
    public void Index_keys_match_the_parser()
    {
        var allowed = AllowedKeys("domain: d\ntables:\n  t:\n    sync: sync\n    columns:\n      id: { type: text, primary_key: true }\n    indexes:\n      - { columns: [id], bogus_key: 1 }\n");
        Assert.Equal(allowed, Keys(Definition("index")));
    }

    [Fact]
    public void Type_and_sync_enums_match_the_parser()
    {
        Assert.Equal(TypeNames.All.Order(), Definition("columnType").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order());
        var sync = Definition("table").GetProperty("properties").GetProperty("sync").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order();
        Assert.Equal(Enum.GetNames<SyncMode>().Select(n => n.ToLowerInvariant()).Order(), sync);
    }

    [Fact]
    public void Every_key_in_the_json_schema_has_a_description_for_completion()
    {
        foreach (var definition in new[] { "table", "column", "index" })
        {
            foreach (var property in Definition(definition).GetProperty("properties").EnumerateObject())
            {
                var described = property.Value.TryGetProperty("description", out _)
                    || (property.Value.TryGetProperty("$ref", out var reference) && Definition(reference.GetString()!.Split('/')[^1]).TryGetProperty("description", out _));
                Assert.True(described, $"{definition}.{property.Name} has no description");
            }
        }
    }

    [Fact]
    public void Every_schema_file_names_the_json_schema_and_parses_without_diagnostics()
    {
        var files = Directory.GetFiles(SchemaFolder, "*.filix.yaml");
        Assert.Equal(7, files.Length);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.StartsWith("# yaml-language-server: $schema=./filix.schema.json\n", text.ReplaceLineEndings("\n"));
            var result = SchemaParser.Parse(file, text, "Filix.Domains");
            Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
            Assert.NotNull(result.Spec);
        }
    }

    /// <summary>The keys the parser allows where <paramref name="yaml"/> has its one unknown key, 'bogus_key'.</summary>
    private static string[] AllowedKeys(string yaml)
    {
        var result = SchemaParser.Parse("test.filix.yaml", yaml, "Test");
        var unknown = Assert.Single(result.Diagnostics, d => d.Id == "FLX0002");
        Assert.Equal("bogus_key", unknown.Args[0]);
        return unknown.Args[3].Split(", ").Order().ToArray();
    }

    private static string[] Keys(JsonElement definition) =>
        definition.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToArray();

    private static JsonElement Definition(string name) => Schema.GetProperty("definitions").GetProperty(name);
}

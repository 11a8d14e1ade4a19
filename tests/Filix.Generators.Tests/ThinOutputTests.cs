using System.Text.RegularExpressions;
using Filix.Generators.Parsing;

namespace Filix.Generators.Tests;

/// <summary>
/// The generated code stays thin: what does not differ per table is the runtime's (Runtime/Repositories), every
/// generated type says it is generated, and the emitter decides nothing the parser did not record.
/// </summary>
public sealed class ThinOutputTests
{
    private static readonly string[] Schemas = ["all_types", "composite_keys", "keywords", "local_only", "unique_indexes"];

    public static TheoryData<string> SchemaNames() => new(Schemas);

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void Repositories_hold_only_what_differs_per_table(string schema)
    {
        var output = Generate(schema);

        foreach (var (hintName, source) in output.Files.Where(f => f.HintName.EndsWith("Table.g.cs", StringComparison.Ordinal)))
        {
            // Loops, readers, lists and positional tuple state are the runtime's bodies, not the repository's.
            foreach (var shared in new[] { "foreach", "while", "ExecuteReader", "new global::System.Collections.Generic.List", ".Item1", "ReadAsync<", "async " })
            {
                Assert.False(source.Contains(shared, StringComparison.Ordinal), $"{hintName} contains '{shared}':\n{source}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void Every_type_of_the_records_repositories_database_and_schema_is_marked_generated(string schema)
    {
        var output = Generate(schema);
        var files = output.Files.Where(f => !f.HintName.EndsWith("Upstream.g.cs", StringComparison.Ordinal) && !f.HintName.EndsWith("Migrations.g.cs", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);

        foreach (var (hintName, source) in files)
        {
            var lines = source.Split('\n');
            var declarations = lines.Select((line, i) => (line, i)).Where(l => Regex.IsMatch(l.line, @"^public (sealed |static )?partial (class|record) ")).ToList();
            Assert.NotEmpty(declarations);
            foreach (var (line, i) in declarations)
            {
                Assert.Matches(@"^\[global::System\.CodeDom\.Compiler\.GeneratedCode\(""Filix"", ""\d+\.\d+\.\d+""\)\]$", lines[i - 1]);
            }
        }
    }

    [Fact]
    public void Key_columns_named_like_tuple_members_still_give_named_tuple_state_that_compiles()
    {
        var output = GeneratorHarness.Run(GeneratorHarness.Schema("/schemas/tuples.filix.yaml", """
            domain: tuples
            tables:
              cells:
                sync: local
                primary_key: [rest, item2, to_string]
                columns:
                  rest:      integer
                  item2:     integer
                  to_string: text
                  item1:     { type: integer, nullable: true }
                indexes:
                  - [item1, rest]
            """));

        Assert.Empty(output.Printed);
        var problems = GeneratorHarness.CompileProblems(output.Compilation);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var table = output.Files.Single(f => f.HintName == "Tuples.CellsTable.g.cs").Source;
        Assert.Contains("(RestValue: rest, Item2Value: item2, ToStringValue: toString)", table, StringComparison.Ordinal);
        Assert.Contains("state.Item1Value", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_parser_records_which_lookup_arguments_may_be_null()
    {
        var path = Path.Combine(TestPaths.TestSchemaDir, "unique_indexes" + FilixGenerator.SchemaFileSuffix);
        var spec = SchemaParser.Parse(path, File.ReadAllText(path), GeneratorHarness.RootNamespace).Spec!;
        var lookups = spec.Tables.Single(t => t.Name == "accounts").Lookups.ToDictionary(l => l.Name);

        // handle is nullable and unique: "the row whose handle is null" is not one row, so the argument is not null.
        Assert.Equal([false], lookups["GetByHandle"].NullableArguments);

        // region is nullable under a plain index: the lookup takes null and compares with IS.
        Assert.Equal([false, true], lookups["FindByTenantAndRegion"].NullableArguments);
        Assert.Equal([true], lookups["FindByRegion"].NullableArguments);
    }

    private static GeneratorOutput Generate(string schema)
    {
        var output = GeneratorHarness.Run(GeneratorHarness.SchemaFile(Path.Combine(TestPaths.TestSchemaDir, schema + FilixGenerator.SchemaFileSuffix)));
        Assert.Empty(output.Printed);
        return output;
    }
}

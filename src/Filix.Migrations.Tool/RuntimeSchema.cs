using Filix.Generators.Migrations;
using Filix.Generators.Parsing;
using Filix.Generators.Sql;
using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Migrations.Tool;

/// <summary>
/// What generated code hands the runtime (<c>&lt;Domain&gt;Schema.Definition</c>), built from a schema file and its
/// history folder at run time instead: for tests and the benchmark, which change the schema while they run.
/// </summary>
internal static class RuntimeSchema
{
    public static DatabaseSchema Load(string schemaFile, string historyRoot, bool withMigrations = true)
    {
        var parsed = SchemaParser.Parse(schemaFile, File.ReadAllText(schemaFile), string.Empty);
        var spec = parsed.Spec ?? throw new InvalidOperationException($"{schemaFile} is not valid: {string.Join("; ", parsed.Diagnostics)}");
        var folder = Path.Combine(historyRoot, spec.Name);
        var files = Directory.Exists(folder)
            ? Directory.GetFiles(folder).Select(f => MigrationFile.TryParse(f, string.Empty, out var file) ? file with { Text = File.ReadAllText(f) } : null).OfType<MigrationFile>().ToList()
            : new List<MigrationFile>();
        var schema = SchemaArtifacts.For(spec);
        var migrations = MigrationFile.Pair(spec.Name, files);
        return new DatabaseSchema
        {
            Domain = schema.Domain,
            SchemaHash = MigrationFile.CodeHash(spec, migrations, files),
            SourceFile = schema.SourceFile,
            Tables = schema.Tables,
            SqliteDdl = schema.SqliteDdl,
            PostgresDdl = schema.PostgresDdl,
            Migrations = withMigrations
                ? migrations.Select(m => new Migration(m.Id, m.Name, m.Checksum, m.SchemaHash, m.SqliteSql, m.PostgresSql)).ToList()
                : Array.Empty<Migration>(),
        };
    }
}

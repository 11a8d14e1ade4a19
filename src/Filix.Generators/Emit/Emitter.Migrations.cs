using Filix.Generators.Migrations;
using Filix.Generators.Model;

namespace Filix.Generators.Emit;

internal static partial class Emitter
{
    /// <summary>The recorded migrations (schema/migrations/&lt;domain&gt;/*.sql, passed as additional files), embedded
    /// so the runtime upgrades a database without the files. A nested class, so its static array is initialised
    /// before <c>Definition</c> reads it whatever the order of the partial files.</summary>
    /// <param name="hash">The schema hash the code carries (<see cref="SchemaHash.ForCode"/>): it depends on the
    /// history as well as the YAML, so it is written here, from the same pipeline step as the migrations.</param>
    public static GeneratedFile EmitMigrations(DomainSpec domain, EquatableArray<EmbeddedMigration> migrations, string hash)
    {
        var w = Begin(domain);
        using (w.Open($"public static partial class {domain.TypeName}Schema"))
        {
            w.WriteLine("/// <summary>A hash of the schema, recorded in each database created from it: the last recorded migration's when the");
            w.WriteLine("/// schema is that migration's (declaration order does not count).</summary>");
            w.WriteLine($"public const string Hash = {SourceWriter.Literal(hash)};");
            w.WriteLine();
            w.WriteSummary($"The recorded migrations of '{domain.Name}', oldest first: ids, names, checksums and the SQL per dialect.");
            w.WriteLine("public static global::System.Collections.Generic.IReadOnlyList<global::Filix.Runtime.Migrations.Migration> Migrations => MigrationSet.All;");
            w.WriteLine();
            using (w.Open("private static class MigrationSet"))
            {
                using (w.Open("public static readonly global::Filix.Runtime.Migrations.Migration[] All =", "};"))
                {
                    foreach (var m in migrations)
                    {
                        w.WriteLine($"new({SourceWriter.Literal(m.Id)}, {SourceWriter.Literal(m.Name)}, {SourceWriter.Literal(m.Checksum)}, {SourceWriter.Literal(m.SchemaHash)},");
                        w.WriteLine($"    {SourceWriter.Literal(m.SqliteSql)},");
                        w.WriteLine($"    {SourceWriter.Literal(m.PostgresSql)}),");
                    }
                }
            }
        }

        return new GeneratedFile($"{domain.TypeName}.Migrations.g.cs", w.ToString());
    }
}

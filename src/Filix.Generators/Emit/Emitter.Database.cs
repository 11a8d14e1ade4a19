using System.Collections.Generic;
using System.Linq;
using System.Text;
using Filix.Generators.Model;
using Filix.Generators.Sql;

namespace Filix.Generators.Emit;

internal static partial class Emitter
{
    /// <summary>The domain's DDL in both dialects as constants (for tools and for reading), and the
    /// <c>DatabaseSchema</c> the runtime opens the database with.</summary>
    private static string EmitSchema(DomainSpec domain)
    {
        var schema = SchemaArtifacts.For(domain);
        var w = Begin(domain);
        w.WriteSummary($"The {domain.Name} schema as SQL, generated from {schema.SourceFile}.");
        WriteGeneratedCode(w);
        using (w.Open($"public static partial class {domain.TypeName}Schema"))
        {
            w.WriteLine($"public const string Domain = {SourceWriter.Literal(schema.Domain)};");
            w.WriteLine();
            // The statements are emitted once, in Definition; the scripts are joined from them. (The schema hash is
            // in the Migrations partial: it follows the recorded history.)
            w.WriteLine("/// <summary>The SQLite DDL as one script: every table.</summary>");
            w.WriteLine("public static string SqliteDdl => Definition.SqliteScript;");
            w.WriteLine();
            w.WriteLine($"/// <summary>The Postgres DDL as one script: the shared ('sync' and 'optional') tables only. Unqualified, like the migrations: run it with search_path set to the domain's schema, \"{domain.Name}\" (filix migrate --upstream creates it).</summary>");
            w.WriteLine("public static string PostgresDdl => Definition.PostgresScript;");
            w.WriteLine();
            using (w.Open("public static global::Filix.Runtime.DatabaseSchema Definition { get; } = new()", "};"))
            {
                w.WriteLine("Domain = Domain,");
                w.WriteLine("SchemaHash = Hash,");
                w.WriteLine($"SourceFile = {SourceWriter.Literal(schema.SourceFile)},");
                w.WriteLine($"Tables = new string[] {{ {string.Join(", ", schema.Tables.Select(SourceWriter.Literal))} }},");
                WriteStatements(w, "SqliteDdl", schema.SqliteDdl);
                WriteStatements(w, "PostgresDdl", schema.PostgresDdl);
                w.WriteLine("Migrations = MigrationSet.All,");
                var shared = SharedParentsFirst(domain);
                if (shared.Count > 0)
                {
                    w.WriteLine($"SyncTables = new global::Filix.Runtime.Sync.SyncTable[] {{ {string.Join(", ", shared.Select(t => t.PluralName + "Upstream.Sync"))} }},");
                }
            }
        }

        return w.ToString();
    }

    /// <summary>The shared tables, each after the tables it refers to (declaration order otherwise, and for a cycle of
    /// references, which deferred keys allow), so sync applies parents before children.</summary>
    private static List<TableSpec> SharedParentsFirst(DomainSpec domain)
    {
        var shared = domain.Tables.Where(t => t.Sync != SyncMode.Local).ToList();
        var ordered = new List<TableSpec>();
        var visiting = new HashSet<string>();
        foreach (var table in shared)
        {
            Visit(table);
        }

        return ordered;

        void Visit(TableSpec table)
        {
            if (ordered.Contains(table) || !visiting.Add(table.Name))
            {
                return;
            }

            foreach (var column in table.Columns)
            {
                if (column.References is { } reference && shared.FirstOrDefault(t => t.Name == reference.Table) is { } parent && parent != table)
                {
                    Visit(parent);
                }
            }

            ordered.Add(table);
        }
    }

    private static void WriteStatements(SourceWriter w, string property, IReadOnlyList<string> statements)
    {
        using (w.Open($"{property} = new string[]", "},"))
        {
            foreach (var statement in statements)
            {
                w.WriteLine(SourceWriter.Literal(statement) + ",");
            }
        }
    }

    /// <summary>The typed database: opens the file and exposes one repository per table.</summary>
    private static string EmitDatabase(DomainSpec domain)
    {
        var name = domain.TypeName + "Database";
        var w = Begin(domain);
        w.WriteSummary(domain.Description.Length > 0 ? domain.Description : $"The {domain.Name} database.");
        WriteGeneratedCode(w);
        using (w.Open($"public sealed partial class {name} : global::System.IAsyncDisposable, global::System.IDisposable"))
        {
            w.WriteLine($"/// <summary>The database's file name in a data folder.</summary>");
            w.WriteLine($"public const string FileName = {SourceWriter.Literal(domain.Name + ".db")};");
            w.WriteLine();
            using (w.Open($"private {name}(global::Filix.Runtime.FilixDatabase database)"))
            {
                w.WriteLine("Database = database;");
                foreach (var table in domain.Tables)
                {
                    w.WriteLine($"{table.PluralName} = new {table.PluralName}Table(database);");
                }
            }

            w.WriteLine();
            w.WriteLine("/// <summary>The underlying connection set (path, options, raw reads and writes).</summary>");
            w.WriteLine("public global::Filix.Runtime.FilixDatabase Database { get; }");
            foreach (var table in domain.Tables)
            {
                w.WriteLine();
                w.WriteSummary(table.Description.Length > 0 ? table.Description : $"The '{table.Name}' table.");
                w.WriteLine($"public {table.PluralName}Table {table.PluralName} {{ get; }}");
            }

            w.WriteLine();
            w.WriteLine("/// <summary>Opens the database file at <paramref name=\"path\"/>, creating it and its tables on first use.</summary>");
            w.WriteLine($"public static async global::System.Threading.Tasks.Task<{name}> OpenAsync(string path, global::Filix.Runtime.FilixOptions? options = null, {Ct} cancellationToken = default) =>");
            w.WriteLine($"    new(await global::Filix.Runtime.FilixDatabase.OpenAsync(path, {domain.TypeName}Schema.Definition, options, cancellationToken).ConfigureAwait(false));");
            w.WriteLine();
            w.WriteLine($"/// <summary>Opens <c>{domain.Name}.db</c> in the data folder <paramref name=\"dataFolder\"/>.</summary>");
            w.WriteLine($"public static global::System.Threading.Tasks.Task<{name}> OpenInFolderAsync(string dataFolder, global::Filix.Runtime.FilixOptions? options = null, {Ct} cancellationToken = default) =>");
            w.WriteLine("    OpenAsync(global::System.IO.Path.Combine(dataFolder, FileName), options, cancellationToken);");
            w.WriteLine();
            w.WriteLine("/// <summary>Writes the statements (a repository's <c>InsertStatement</c>, ...) as one unit whose foreign keys are checked at its end: rows that refer to each other. See <see cref=\"global::Filix.Runtime.FilixDatabase.WriteTogetherAsync(global::Filix.Runtime.FilixStatement[])\"/>.</summary>");
            w.WriteLine("public global::System.Threading.Tasks.Task<int[]> WriteTogetherAsync(params global::Filix.Runtime.FilixStatement[] statements) => Database.WriteTogetherAsync(statements);");
            w.WriteLine();
            w.WriteLine("public void Dispose() => Database.Dispose();");
            w.WriteLine();
            w.WriteLine("public global::System.Threading.Tasks.ValueTask DisposeAsync() => Database.DisposeAsync();");
        }

        return w.ToString();
    }
}

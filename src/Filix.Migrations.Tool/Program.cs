using Filix.Generators.Diagnostics;
using Filix.Generators.Model;
using Filix.Migrations.Tool;

// filix-migrations --schema <dir> --history <dir> [--check]
// Prints diagnostics in the compiler's format (file(line,col): error FLXnnnn: ...), which MSBuild's Exec turns into
// build errors at the YAML line.
string? schema = null, history = null;
var check = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--schema" when i + 1 < args.Length: schema = args[++i]; break;
        case "--history" when i + 1 < args.Length: history = args[++i]; break;
        case "--check": check = true; break;
        default:
            Console.Error.WriteLine($"filix-migrations: unknown argument '{args[i]}'. Usage: --schema <folder of *.filix.yaml> --history <schema/migrations folder> [--check]");
            return 2;
    }
}

if (schema is null || history is null || !Directory.Exists(schema))
{
    Console.Error.WriteLine($"filix-migrations: give --schema <existing folder of *.filix.yaml> and --history <folder> (got '{schema}', '{history}').");
    return 2;
}

var failed = false;
foreach (var file in Directory.GetFiles(schema, "*.filix.yaml").OrderBy(f => f, StringComparer.Ordinal))
{
    var result = MigrationRecorder.Record(Path.GetFullPath(file), Path.GetFullPath(history), check);
    foreach (var diagnostic in result.Diagnostics)
    {
        Console.WriteLine(diagnostic.ToString());
    }

    failed |= result.Failed;
    if (result.Created is { } plan && !result.Failed)
    {
        if (check)
        {
            Console.WriteLine(SchemaDiagnostic.Create(DiagnosticDescriptors.MigrationNotRecorded, SourceSpan.None(Path.GetFullPath(file)), result.Domain!, plan.FileStem).ToString());
            failed = true;
        }
        else
        {
            Console.WriteLine($"Filix: recorded migration {result.Domain}/{plan.FileStem} ({plan.Operations.Count} operation(s)); commit schema/migrations/{result.Domain}/.");
        }
    }
}

return failed ? 1 : 0;

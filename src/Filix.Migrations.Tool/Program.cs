using Filix.Generators.Diagnostics;
using Filix.Generators.Model;
using Filix.Migrations.Tool;

// filix-migrations [--check] [--history <root>] [--folders-out <file>] --schema <x.filix.yaml | folder> [--schema ...]
// The schemas are the files the project lists (Filix.Migrations.targets passes each *.filix.yaml of its
// AdditionalFiles); a folder stands for the *.filix.yaml in it. Each domain's history is migrations/<domain>/ beside
// its schema file, unless --history names another root. Prints diagnostics in the compiler's format
// (file(line,col): error FLXnnnn: ...), which MSBuild's Exec turns into build errors at the YAML line.
const string Usage = "Usage: filix-migrations [--check] [--history <root of migrations/<domain>/ folders>] [--folders-out <file>] --schema <x.filix.yaml or folder> [--schema ...]";
var schemas = new List<string>();
string? history = null, foldersOut = null;
var check = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--schema" when i + 1 < args.Length: schemas.Add(args[++i]); break;
        case "--history" when i + 1 < args.Length: history = args[++i]; break;
        case "--folders-out" when i + 1 < args.Length: foldersOut = args[++i]; break;
        case "--check": check = true; break;
        default:
            Console.Error.WriteLine($"filix-migrations: unknown argument '{args[i]}'. {Usage}");
            return 2;
    }
}

var files = new List<string>();
foreach (var schema in schemas)
{
    if (Directory.Exists(schema))
    {
        files.AddRange(Directory.GetFiles(schema, "*.filix.yaml").Order(StringComparer.Ordinal));
    }
    else if (File.Exists(schema) && schema.EndsWith(".filix.yaml", StringComparison.OrdinalIgnoreCase))
    {
        files.Add(schema);
    }
    else
    {
        Console.Error.WriteLine($"filix-migrations: '{schema}' is neither a *.filix.yaml file nor a folder. {Usage}");
        return 2;
    }
}

if (schemas.Count == 0)
{
    Console.Error.WriteLine($"filix-migrations: no schema given. {Usage}");
    return 2;
}

var failed = false;
var folders = new List<string>();
foreach (var file in files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
{
    var root = Path.GetFullPath(history ?? HistoryFolder.DefaultRoot(file));
    var result = MigrationRecorder.Record(file, root, check);
    foreach (var diagnostic in result.Diagnostics)
    {
        Console.WriteLine(diagnostic.ToString());
    }

    if (result.Domain is { } domain)
    {
        folders.Add(Path.Combine(root, domain));
    }

    failed |= result.Failed;
    if (result.Created is { } plan && !result.Failed)
    {
        if (check)
        {
            Console.WriteLine(SchemaDiagnostic.Create(DiagnosticDescriptors.MigrationNotRecorded, SourceSpan.None(file), result.Domain!, plan.FileStem).ToString());
            failed = true;
        }
        else
        {
            Console.WriteLine($"Filix: recorded migration {result.Domain}/{plan.FileStem} ({plan.Operations.Count} operation(s)); commit {Path.Combine(root, result.Domain!)}.");
        }
    }
}

if (foldersOut is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(foldersOut))!);
    File.WriteAllLines(foldersOut, folders);
}

return failed ? 1 : 0;

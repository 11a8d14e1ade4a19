using System.Globalization;
using System.Text;
using Filix.Generators.Diagnostics;
using Filix.Generators.Migrations;
using Filix.Generators.Model;
using Filix.Generators.Parsing;
using D = Filix.Generators.Diagnostics.DiagnosticDescriptors;

namespace Filix.Migrations.Tool;

/// <summary>One recorded migration in a history folder.</summary>
internal sealed record RecordedMigration(string Id, string Name, string SqlitePath, string PostgresPath, string SnapshotPath, string Checksum)
{
    public string Stem => Id + "_" + Name;
}

/// <summary>
/// A domain's committed migration history: <c>schema/migrations/&lt;domain&gt;/NNNN_name.sqlite.sql</c>,
/// <c>.postgres.sql</c>, <c>.snapshot.json</c> (the schema after it) and <c>migrations.sum</c> (one checksum per
/// migration, as Atlas's atlas.sum). The files are append-only: a changed or missing one stops the build.
/// </summary>
internal sealed class HistoryFolder
{
    private HistoryFolder(string path, string domain, List<RecordedMigration> migrations)
    {
        Path = path;
        Domain = domain;
        Migrations = migrations;
    }

    public string Path { get; }

    public string Domain { get; }

    public List<RecordedMigration> Migrations { get; }

    public string SumPath => System.IO.Path.Combine(Path, MigrationFile.SumFile);

    /// <summary>Where a schema file's domains keep their histories unless told otherwise: <c>migrations/</c> beside
    /// the file (<c>schema/x.filix.yaml</c> -> <c>schema/migrations/&lt;domain&gt;/</c>), so a project's migrations
    /// sit next to its own schemas and never next to another project's.</summary>
    public static string DefaultRoot(string schemaFile) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(schemaFile))!, "migrations");

    /// <summary>Reads and verifies the folder; a missing folder is an empty history.</summary>
    public static HistoryFolder Load(string path, string domain, List<SchemaDiagnostic> diagnostics)
    {
        var migrations = new List<RecordedMigration>();
        var folder = new HistoryFolder(path, domain, migrations);
        if (!Directory.Exists(path))
        {
            return folder;
        }

        var sums = ReadSums(folder.SumPath);
        var present = new HashSet<string>(StringComparer.Ordinal); // Stems with a .sqlite.sql, complete or not.
        foreach (var sqlite in Directory.GetFiles(path, "*" + MigrationFile.SqliteSuffix).OrderBy(f => f, StringComparer.Ordinal))
        {
            if (!MigrationFile.TryParse(sqlite, string.Empty, out var file))
            {
                continue;
            }

            var stem = file.Id + "_" + file.Name;
            present.Add(stem);
            var postgres = System.IO.Path.Combine(path, stem + MigrationFile.PostgresSuffix);
            var snapshot = System.IO.Path.Combine(path, stem + MigrationFile.SnapshotSuffix);
            var missing = new[] { postgres, snapshot }.Where(f => !File.Exists(f)).Select(System.IO.Path.GetFileName).ToList();
            if (missing.Count > 0)
            {
                diagnostics.Add(SchemaDiagnostic.Create(D.BrokenHistory, SourceSpan.None(sqlite), domain, $"{stem} has no {string.Join(" or ", missing)}"));
                continue;
            }

            var checksum = SchemaHash.Checksum(File.ReadAllText(sqlite), File.ReadAllText(postgres));
            if (!sums.TryGetValue(stem, out var recorded))
            {
                diagnostics.Add(SchemaDiagnostic.Create(D.BrokenHistory, SourceSpan.None(sqlite), domain, $"{stem} is not listed in {MigrationFile.SumFile}"));
            }
            else if (!string.Equals(recorded, checksum, StringComparison.Ordinal))
            {
                diagnostics.Add(SchemaDiagnostic.Create(D.MigrationEdited, SourceSpan.None(sqlite), stem, MigrationFile.SumFile,
                    $"recorded {recorded[..12]}, now {checksum[..12]}", System.IO.Path.Combine(path, stem) + ".*"));
            }

            migrations.Add(new RecordedMigration(file.Id, file.Name, sqlite, postgres, snapshot, checksum));
        }

        foreach (var stem in sums.Keys.Where(s => !present.Contains(s)))
        {
            diagnostics.Add(SchemaDiagnostic.Create(D.BrokenHistory, SourceSpan.None(folder.SumPath), domain, $"{MigrationFile.SumFile} lists {stem}, but its files are missing"));
        }

        // An incomplete migration is already reported; it is not also a gap in the numbering.
        for (var i = 0; i < migrations.Count && migrations.Count == present.Count; i++)
        {
            if (int.Parse(migrations[i].Id, CultureInfo.InvariantCulture) != i + 1)
            {
                diagnostics.Add(SchemaDiagnostic.Create(D.BrokenHistory, SourceSpan.None(migrations[i].SqlitePath), domain, $"expected migration {i + 1:0000}, found {migrations[i].Stem}"));
                break;
            }
        }

        return folder;
    }

    /// <summary>The schema after the last migration, read back through the schema parser; null when there is none.</summary>
    public DomainSpec? RecordedSchema(List<SchemaDiagnostic> diagnostics)
    {
        if (Migrations.Count == 0)
        {
            return null;
        }

        var snapshot = Migrations[^1].SnapshotPath;
        var parsed = SchemaParser.Parse(snapshot, File.ReadAllText(snapshot), string.Empty);
        if (parsed.Spec is null)
        {
            diagnostics.Add(SchemaDiagnostic.Create(D.BrokenHistory, SourceSpan.None(snapshot), Domain,
                $"{System.IO.Path.GetFileName(snapshot)} is not a valid snapshot ({parsed.Diagnostics.FirstOrDefault()?.Message})"));
        }

        return parsed.Spec;
    }

    /// <summary>Writes the planned migration's three files and its line in migrations.sum.</summary>
    public IReadOnlyList<string> Write(PlannedMigration plan)
    {
        Directory.CreateDirectory(Path);
        var files = new List<string>();
        foreach (var (suffix, text) in new[] { (MigrationFile.SqliteSuffix, plan.SqliteSql), (MigrationFile.PostgresSuffix, plan.PostgresSql), (MigrationFile.SnapshotSuffix, plan.Snapshot) })
        {
            var file = System.IO.Path.Combine(Path, plan.FileStem + suffix);
            File.WriteAllText(file, text, new UTF8Encoding(false));
            files.Add(file);
        }

        var sums = ReadSums(SumPath);
        sums[plan.FileStem] = plan.Checksum;
        var sb = new StringBuilder("# Filix migration checksums: SHA-256 of each migration's .sqlite.sql and .postgres.sql.\n# Written by the build; never edit. A changed migration file no longer matches its line and stops the build.\n");
        foreach (var (stem, checksum) in sums.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            sb.Append(stem).Append(' ').Append(checksum).Append('\n');
        }

        File.WriteAllText(SumPath, sb.ToString(), new UTF8Encoding(false));
        Migrations.Add(new RecordedMigration(plan.Id, plan.Name, files[0], files[1], files[2], plan.Checksum));
        return files;
    }

    private static Dictionary<string, string> ReadSums(string path)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return sums;
        }

        foreach (var line in File.ReadAllLines(path))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (line.StartsWith('#') || parts.Length != 2)
            {
                continue;
            }

            sums[parts[0]] = parts[1];
        }

        return sums;
    }
}

using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;

namespace Filix.Generators.Migrations;

/// <summary>One recorded migration, both dialects, as the generator embeds it.</summary>
internal sealed record EmbeddedMigration(string Id, string Name, string Checksum, string SchemaHash, string SqliteSql, string PostgresSql);

/// <summary>One migration file: <c>migrations/&lt;domain&gt;/&lt;NNNN&gt;_&lt;name&gt;.&lt;sqlite|postgres&gt;.sql</c>, or its
/// <c>.snapshot.json</c> (dialect <c>snapshot</c>; the generator reads the last one to tell a reorder from a change).</summary>
internal sealed record MigrationFile(string Domain, string Id, string Name, string Dialect, string Text)
{
    public const string SqliteSuffix = ".sqlite.sql";
    public const string PostgresSuffix = ".postgres.sql";
    public const string SnapshotSuffix = ".snapshot.json";
    public const string SumFile = "migrations.sum";

    /// <summary>The <see cref="Dialect"/> of a <c>.snapshot.json</c> file.</summary>
    public const string Snapshot = "snapshot";

    /// <summary>Reads the domain, id, name and dialect from a path; false for any other file.</summary>
    public static bool TryParse(string path, string text, out MigrationFile file)
    {
        file = null!;
        var normalised = path.Replace('\\', '/');
        var parts = normalised.Split('/');
        if (parts.Length < 3 || parts[parts.Length - 3] != "migrations")
        {
            return false;
        }

        var fileName = parts[parts.Length - 1];
        var suffix = new[] { SqliteSuffix, PostgresSuffix, SnapshotSuffix }.FirstOrDefault(s => fileName.EndsWith(s, System.StringComparison.Ordinal));
        if (suffix is null)
        {
            return false;
        }

        var dialect = suffix == SqliteSuffix ? "sqlite" : suffix == PostgresSuffix ? "postgres" : Snapshot;
        var stem = fileName.Substring(0, fileName.Length - suffix.Length);
        var underscore = stem.IndexOf('_');
        if (underscore != 4 || !stem.Substring(0, 4).All(char.IsDigit))
        {
            return false;
        }

        file = new MigrationFile(parts[parts.Length - 2], stem.Substring(0, 4), stem.Substring(5), dialect, text);
        return true;
    }

    /// <summary>Pairs the two dialects' files of each migration of <paramref name="domain"/>, in id order.</summary>
    public static EquatableArray<EmbeddedMigration> Pair(string domain, IEnumerable<MigrationFile> files) =>
        files.Where(f => f.Domain == domain && f.Dialect != Snapshot)
            .GroupBy(f => (f.Id, f.Name))
            .OrderBy(g => g.Key.Id, System.StringComparer.Ordinal)
            .Select(g =>
            {
                var sqlite = g.FirstOrDefault(f => f.Dialect == "sqlite")?.Text ?? string.Empty;
                var postgres = g.FirstOrDefault(f => f.Dialect == "postgres")?.Text ?? string.Empty;
                return new EmbeddedMigration(g.Key.Id, g.Key.Name, SchemaHash.Checksum(sqlite, postgres),
                    MigrationScript.ReadSchemaHash(sqlite) ?? string.Empty, sqlite, postgres);
            })
            .ToEquatableArray();

    /// <summary>The snapshot text of migration <paramref name="id"/> of <paramref name="domain"/>; null when absent.</summary>
    public static string? SnapshotOf(string domain, string id, IEnumerable<MigrationFile> files) =>
        files.FirstOrDefault(f => f.Domain == domain && f.Dialect == Snapshot && f.Id == id)?.Text;

    /// <summary>The hash code generated from <paramref name="spec"/> carries, given its embedded history
    /// (<see cref="SchemaHash.ForCode"/>); the last migration's snapshot is parsed only when the hashes differ.</summary>
    public static string CodeHash(DomainSpec spec, EquatableArray<EmbeddedMigration> migrations, IEnumerable<MigrationFile> files)
    {
        var last = migrations.Count == 0 ? null : migrations[migrations.Count - 1];
        return SchemaHash.ForCode(spec, last?.SchemaHash, () =>
            last is not null && SnapshotOf(spec.Name, last.Id, files) is { } text
                ? Parsing.SchemaParser.Parse($"migrations/{spec.Name}/{last.Id}_{last.Name}{SnapshotSuffix}", text, string.Empty).Spec
                : null);
    }
}

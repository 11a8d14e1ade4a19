using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Migrations.Tests;

/// <summary>
/// A domain whose migrations are written by hand, as SQL text: for runtime behaviour that must not depend on what
/// the generator emits today (statement order, rebuild shape). <see cref="At"/> is the schema the code of one
/// version would carry: its SQLite DDL (what a fresh database has) and the migrations up to it.
/// </summary>
internal sealed class HandSchema(string domain, params (string[] Ddl, string Sql)[] versions)
{
    public DatabaseSchema At(int version) => new()
    {
        Domain = domain,
        SchemaHash = "hash-" + version,
        SourceFile = domain + ".filix.yaml",
        Tables = [],
        SqliteDdl = versions[version - 1].Ddl,
        PostgresDdl = [],
        Migrations = versions.Take(version)
            .Select((v, i) => new Migration((i + 1).ToString("0000", System.Globalization.CultureInfo.InvariantCulture), "step_" + (i + 1), "sum-" + (i + 1), "hash-" + (i + 1), v.Sql, string.Empty))
            .ToList(),
    };

    /// <summary>The file of this domain in <paramref name="folder"/>.</summary>
    public string PathIn(string folder) => Path.Combine(folder, domain + ".db");
}

using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Migrations;
using Filix.Generators.Model;

namespace Filix.Generators.Sql;

/// <summary>
/// What a domain's schema turns into for the runtime: the DDL in each dialect, the canonical schema hash (see
/// <see cref="SchemaHash"/>: order-independent), the table names and the source file name. Generated code embeds it as <c>&lt;Domain&gt;Schema.Definition</c>,
/// the migration planner stamps the hash into each migration, and the migrations tool builds the same definition
/// at run time, all from here, so the three cannot drift apart.
/// </summary>
internal sealed class SchemaArtifacts
{
    private SchemaArtifacts(DomainSpec domain)
    {
        Domain = domain.Name;
        SourceFile = System.IO.Path.GetFileName(domain.SourcePath);
        Tables = domain.Tables.Select(t => t.Name).ToList();
        SqliteDdl = DdlBuilder.Statements(domain, SqlDialect.Sqlite);
        PostgresDdl = DdlBuilder.Statements(domain, SqlDialect.Postgres);
        Hash = SchemaHash.Compute(domain);
    }

    public static SchemaArtifacts For(DomainSpec domain) => new(domain);

    public string Domain { get; }

    /// <summary>The schema file's name, without its folder.</summary>
    public string SourceFile { get; }

    /// <summary>Every table, local ones included, in schema order.</summary>
    public IReadOnlyList<string> Tables { get; }

    /// <summary>CREATE TABLE and CREATE INDEX statements for SQLite: every table.</summary>
    public IReadOnlyList<string> SqliteDdl { get; }

    /// <summary>The same for the Postgres upstream: shared ('sync' and 'optional') tables only.</summary>
    public IReadOnlyList<string> PostgresDdl { get; }

    /// <summary>The canonical hash (<see cref="SchemaHash.Compute"/>): what a new migration records. The code carries
    /// <see cref="SchemaHash.ForCode"/>, which is this unless the history recorded the same schema in the legacy form.</summary>
    public string Hash { get; }
}

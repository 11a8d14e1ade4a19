namespace Filix.Runtime;

/// <summary>
/// What the generator knows about one domain database, handed to the runtime by generated code: its name, the
/// DDL in each dialect and a hash of the schema it was generated from.
/// </summary>
public sealed class DatabaseSchema
{
    /// <summary>The domain name (<c>entities</c>); the database file is <c>entities.db</c>.</summary>
    public required string Domain { get; init; }

    /// <summary>A hash of the schema as declared in YAML, recorded in every database created from it.</summary>
    public required string SchemaHash { get; init; }

    /// <summary>The schema file the code was generated from, for error messages.</summary>
    public required string SourceFile { get; init; }

    /// <summary>The table names, in declaration order.</summary>
    public required IReadOnlyList<string> Tables { get; init; }

    /// <summary>CREATE statements for a new SQLite database (all tables).</summary>
    public required IReadOnlyList<string> SqliteDdl { get; init; }

    /// <summary>CREATE statements for the Postgres upstream (shared tables only: <c>sync</c> and <c>optional</c>).</summary>
    public required IReadOnlyList<string> PostgresDdl { get; init; }

    /// <summary>The recorded migrations, oldest first. Opening a database applies the ones it lacks; a schema
    /// without any (code built without schema/migrations) falls back to creating the DDL and checking its hash.</summary>
    public IReadOnlyList<Migrations.Migration> Migrations { get; init; } = Array.Empty<Migrations.Migration>();

    /// <summary>The shared tables (<c>sync</c> and <c>optional</c>), parents before the tables that refer to them: what
    /// change capture watches and what <c>filix sync</c> moves. Empty when every table is local.</summary>
    public IReadOnlyList<Sync.SyncTable> SyncTables { get; init; } = Array.Empty<Sync.SyncTable>();

    /// <summary>The Postgres schema that holds this domain's shared tables and its migration history upstream: the
    /// domain name (snake_case already), so several domains share one upstream database, even with tables of the same
    /// name. The migrations create it; the generated <c>&lt;Table&gt;Upstream</c> adapters qualify their SQL with it.</summary>
    public string PostgresSchema => Domain;

    /// <summary><see cref="SqliteDdl"/> as one script (statements ended by <c>;</c>), for tools and for reading.</summary>
    public string SqliteScript => Script(SqliteDdl, "-- no tables");

    /// <summary><see cref="PostgresDdl"/> as one script; a comment alone when every table is local.</summary>
    public string PostgresScript => Script(PostgresDdl, "-- no shared tables: every table of this domain is local");

    /// <summary>The default file name of this domain's database in a data folder.</summary>
    public string FileName => Domain + ".db";

    private static string Script(IReadOnlyList<string> statements, string whenEmpty) =>
        statements.Count == 0 ? whenEmpty : string.Join(";\n\n", statements) + ";";
}

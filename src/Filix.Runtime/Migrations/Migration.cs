namespace Filix.Runtime.Migrations;

/// <summary>
/// One recorded schema change, as the generator embeds it from <c>schema/migrations/&lt;domain&gt;/</c>.
/// </summary>
/// <param name="Id">Four digits, in apply order (<c>0001</c> is the initial CREATE).</param>
/// <param name="Name">What it does (<c>add_events_note</c>).</param>
/// <param name="Checksum">SHA-256 of both files; a database that applied it refuses a different one.</param>
/// <param name="SchemaHash">The hash of the SQLite schema after it (as <c>_filix_meta.schema_hash</c>).</param>
/// <param name="SqliteSql">The SQLite script, with its <c>-- filix:check</c> lines.</param>
/// <param name="PostgresSql">The Postgres upstream script, with its <c>-- filix:check</c> lines.</param>
public sealed record Migration(string Id, string Name, string Checksum, string SchemaHash, string SqliteSql, string PostgresSql)
{
    public override string ToString() => Id + "_" + Name;
}

/// <summary>A migration a database records as applied.</summary>
public sealed record AppliedMigration(string Id, string Name, string Checksum, string AppliedAt);

/// <summary>What opening or migrating a database found and did.</summary>
/// <param name="Applied">The history before this run.</param>
/// <param name="Pending">Migrations the database lacked (applied now, unless a dry run).</param>
/// <param name="Adopted">Migrations recorded without running them, because the database (made before Filix kept a
/// history) already had the schema they produce.</param>
/// <param name="DryRun">True when nothing was changed.</param>
public sealed record MigrationReport(IReadOnlyList<AppliedMigration> Applied, IReadOnlyList<Migration> Pending, IReadOnlyList<Migration> Adopted, bool DryRun)
{
    /// <summary>Views and triggers (created outside Filix) that a migration of this run did not recreate because it
    /// dropped their table, one sentence each (<c>view "v" of 0003_drop_notes was not recreated: ...</c>).</summary>
    public IReadOnlyList<string> Removed { get; init; } = Array.Empty<string>();
}

namespace Filix.Runtime.Migrations;

/// <summary>The database a migration runs on, as messages name it (<see cref="Description"/>) and as
/// <see cref="FilixException.Path"/> carries it (the file; none for the upstream).</summary>
internal sealed record MigrationTarget(string Description, string? Path)
{
    public static MigrationTarget File(string path) => new($"'{path}'", path);

    public static MigrationTarget Upstream(Npgsql.NpgsqlConnection connection, string schema) =>
        new($"the Postgres upstream '{connection.Database}' on {connection.Host} (schema {schema})", null);

    public override string ToString() => Description;
}

using Filix.Cli.Domains;
using Filix.Runtime;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Tests;

/// <summary>Databases as a build before migrations existed made them: the tables and <c>_filix_meta</c> (domain and
/// schema hash), no <c>_filix_migrations</c>. Opening one with this build adopts it.</summary>
internal static class PreMigrationDatabase
{
    /// <summary>Creates <paramref name="dataFolder"/> holding a pre-migration <c>entities.db</c>, closed (no pooled
    /// connection keeps it open); returns the database's path.</summary>
    public static async Task<string> CreateEntitiesAsync(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        var path = Path.Combine(dataFolder, "entities.db");
        await CreateAsync(path, DomainRegistry.Find("entities").Schema);
        SqliteConnection.ClearAllPools();
        return path;
    }

    public static async Task CreateAsync(string path, DatabaseSchema schema)
    {
        // The same schema without its recorded migrations: the runtime then creates the DDL and records the hash, as it did then.
        var unversioned = new DatabaseSchema
        {
            Domain = schema.Domain,
            SchemaHash = schema.SchemaHash,
            SourceFile = schema.SourceFile,
            Tables = schema.Tables,
            SqliteDdl = schema.SqliteDdl,
            PostgresDdl = schema.PostgresDdl,
        };
        await using var database = await FilixDatabase.OpenAsync(path, unversioned);
    }
}

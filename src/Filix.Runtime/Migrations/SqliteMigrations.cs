using Filix.Runtime.Sqlite;

namespace Filix.Runtime.Migrations;

/// <summary>
/// Migrating a SQLite file explicitly (the <c>filix migrate</c> and <c>filix migrations</c> commands). Opening a
/// database with <see cref="FilixDatabase.OpenAsync"/> does the same as <see cref="MigrateAsync"/> implicitly.
/// </summary>
public static class SqliteMigrations
{
    /// <summary>Applies the pending migrations, or with <paramref name="dryRun"/> only reports them (the SQL is in
    /// <see cref="Migration.SqliteSql"/>) and changes nothing; a missing file is then not created.</summary>
    public static Task<MigrationReport> MigrateAsync(string path, DatabaseSchema schema, bool dryRun = false, FilixOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        cancellationToken.ThrowIfCancellationRequested();
        var fullPath = Path.GetFullPath(path);
        if (dryRun && !File.Exists(fullPath))
        {
            MigrationHistory.CheckComplete(schema);
            return Task.FromResult(new MigrationReport(Array.Empty<AppliedMigration>(), schema.Migrations, Array.Empty<Migration>(), DryRun: true));
        }

        DatabaseFile.Check(fullPath, schema.FileName, createIfMissing: true);
        try
        {
            using var session = new SqliteSession(ConnectionPolicy.Open(fullPath, options ?? FilixOptions.Default, readOnly: false, create: !dryRun));
            return Task.FromResult(SqliteMigrator.Ensure(session, schema, fullPath, dryRun));
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw SqliteErrors.Open(ex, fullPath);
        }
    }

    /// <summary>The history and the pending migrations of a file, without changing it.</summary>
    public static Task<MigrationReport> StatusAsync(string path, DatabaseSchema schema, FilixOptions? options = null, CancellationToken cancellationToken = default) =>
        MigrateAsync(path, schema, dryRun: true, options, cancellationToken);
}

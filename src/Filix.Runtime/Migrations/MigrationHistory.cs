namespace Filix.Runtime.Migrations;

/// <summary>
/// The rules shared by SQLite and Postgres for comparing a database's history with the code's migrations: every
/// applied migration must be known (else the database is newer than the code) and unchanged (else a recorded file
/// was edited); the pending ones are the rest, in order.
/// </summary>
internal static class MigrationHistory
{
    public const string Table = "_filix_migrations";

    /// <summary><see cref="Table"/> quoted for SQL (the same in SQLite and Postgres).</summary>
    public const string QuotedTable = "\"" + Table + "\"";

    public static List<Migration> Pending(DatabaseSchema schema, IReadOnlyList<AppliedMigration> applied, MigrationTarget where)
    {
        var known = schema.Migrations.ToDictionary(m => m.Id, StringComparer.Ordinal);
        foreach (var row in applied)
        {
            if (!known.TryGetValue(row.Id, out var migration))
            {
                var latest = schema.Migrations.Count == 0 ? "none" : schema.Migrations[^1].ToString();
                throw new FilixException(
                    $"{where} is newer than this build: it has applied migration {row.Id}_{row.Name} of '{schema.Domain}', which this build does not know " +
                    $"(its latest is {latest}). Nothing was changed. Open it with the newer build of Filix that migrated it.",
                    where.Path);
            }

            if (!string.Equals(migration.Checksum, row.Checksum, StringComparison.Ordinal))
            {
                throw new FilixException(
                    $"Migration {migration} of '{schema.Domain}' was changed after {where} applied it (checksum {Short(row.Checksum)} applied, {Short(migration.Checksum)} in this build). " +
                    $"Nothing was changed. Restore schema/migrations/{schema.Domain}/{migration}.*.sql from version control and rebuild; record changes as a new migration.",
                    where.Path);
            }
        }

        var done = applied.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var pending = schema.Migrations.Where(m => !done.Contains(m.Id)).ToList();
        if (pending.Count > 0 && applied.Count > 0 && string.CompareOrdinal(pending[0].Id, applied.Max(a => a.Id)!) < 0)
        {
            throw new FilixException(
                $"{where} skipped migration {pending[0]} of '{schema.Domain}' but applied later ones; its history is inconsistent. Nothing was changed. Restore it from a backup.",
                where.Path);
        }

        return pending;
    }

    /// <summary>Fails when the embedded migrations do not end at the schema the code was generated from (the YAML
    /// changed and the build did not record the migration), before the database is touched.</summary>
    public static void CheckComplete(DatabaseSchema schema)
    {
        if (schema.Migrations.Count > 0 && !string.Equals(schema.Migrations[^1].SchemaHash, schema.SchemaHash, StringComparison.Ordinal))
        {
            throw new FilixException(
                $"The migrations of '{schema.Domain}' built into this program end at schema {schema.Migrations[^1].SchemaHash}, but {schema.SourceFile} " +
                $"describes schema {schema.SchemaHash}. Rebuild (dotnet build records the missing migration) before opening a database.");
        }
    }

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] : checksum;
}

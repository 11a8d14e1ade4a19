using Filix.Runtime.Sqlite;
using Filix.Runtime.Sync.Local;

namespace Filix.Runtime.Migrations;

// _filix_meta: which domain a file holds, and (for files made before Filix kept a history) which schema.
internal static partial class SqliteMigrator
{
    /// <summary>True when the file is this domain's Filix database; false when it is empty; throws otherwise.</summary>
    private static bool CheckOwnership(SqliteSession writer, DatabaseSchema schema, string path)
    {
        if (!HasTable(writer, MetaTable))
        {
            var tables = UserTables(writer);
            if (tables.Count > 0)
            {
                throw new FilixException(
                    $"'{path}' is a SQLite database but not a Filix one: it holds the tables {string.Join(", ", tables)} and no {MetaTable} table. " +
                    "Filix will not write into a database it did not create. Point Filix at another file or folder (--data), or move this file away.",
                    path);
            }

            return false;
        }

        var domain = Meta(writer, "domain");
        if (!string.Equals(domain, schema.Domain, StringComparison.Ordinal))
        {
            throw new FilixException(
                $"'{path}' holds the Filix domain '{domain}', not '{schema.Domain}'. Open it with the {domain} database type, or use {schema.FileName}.",
                path);
        }

        return true;
    }

    /// <summary>A database made before migrations existed has a schema hash and no history: the migrations up to
    /// the one that produces that schema are recorded as applied, and only the later ones run.</summary>
    private static List<Migration> Adopt(SqliteSession writer, DatabaseSchema schema, string path)
    {
        var hash = Meta(writer, "schema_hash");
        if (hash is null)
        {
            return new List<Migration>();
        }

        var index = schema.Migrations.ToList().FindLastIndex(m => string.Equals(m.SchemaHash, hash, StringComparison.Ordinal));
        if (index < 0)
        {
            throw new FilixException(
                $"'{path}' was created from a version of the '{schema.Domain}' schema that no recorded migration produces (schema hash {hash}). " +
                "Nothing was changed. Open it with the build that created it, or restore schema/migrations from that version's commit.",
                path);
        }

        return schema.Migrations.Take(index + 1).ToList();
    }

    private static void CreateMeta(SqliteSession writer, DatabaseSchema schema)
    {
        writer.Execute($"CREATE TABLE \"{MetaTable}\" (\"key\" TEXT NOT NULL PRIMARY KEY, \"value\" TEXT NOT NULL) STRICT");
        SetMeta(writer, "domain", schema.Domain);
        SetMeta(writer, "created_at", (string)SqliteValues.Timestamp(DateTimeOffset.UtcNow));
        SetMeta(writer, "created_by", "Filix " + typeof(SqliteMigrator).Assembly.GetName().Version);
    }

    private static void SetMeta(SqliteSession writer, string key, string value)
    {
        var upsert = writer.Command($"INSERT INTO \"{MetaTable}\" (\"key\", \"value\") VALUES ($p0, $p1) ON CONFLICT (\"key\") DO UPDATE SET \"value\" = excluded.\"value\"", 2);
        upsert.Parameters[0].Value = key;
        upsert.Parameters[1].Value = value;
        upsert.ExecuteNonQuery();
    }

    private static string? Meta(SqliteSession writer, string key)
    {
        var command = writer.Command($"SELECT \"value\" FROM \"{MetaTable}\" WHERE \"key\" = $p0", 1);
        command.Parameters[0].Value = key;
        return command.ExecuteScalar() as string;
    }

    private static bool HasTable(SqliteSession session, string name)
    {
        var command = session.Command("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = $p0", 1);
        command.Parameters[0].Value = name;
        return (long)command.ExecuteScalar()! > 0;
    }

    private static List<string> UserTables(SqliteSession session)
    {
        var tables = new List<string>();
        using var command = session.Connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>Code built without recorded migrations (a test schema, a tool): the DDL on first use and a schema
    /// hash that must match afterwards, as Filix did before it kept a history. Such a file is adopted later.</summary>
    private static MigrationReport EnsureUnversioned(SqliteSession writer, DatabaseSchema schema, string path, bool dryRun)
    {
        writer.Execute(dryRun ? "BEGIN" : "BEGIN IMMEDIATE");
        try
        {
            if (CheckOwnership(writer, schema, path))
            {
                var hash = Meta(writer, "schema_hash");
                if (!string.Equals(hash, schema.SchemaHash, StringComparison.Ordinal))
                {
                    throw new FilixException(
                        $"'{path}' was created from another version of the '{schema.Domain}' schema (schema hash {hash}; this build has {schema.SchemaHash} " +
                        $"from {schema.SourceFile}) and this build has no recorded migrations to upgrade it. The database was not changed. " +
                        "Build with the schema/migrations folder (dotnet build records it), or open it with the build that created it.",
                        path);
                }
            }
            else if (!dryRun)
            {
                CreateMeta(writer, schema);
                foreach (var statement in schema.SqliteDdl)
                {
                    SqliteStatements.Run(writer.Connection, statement);
                }

                SetMeta(writer, "schema_hash", schema.SchemaHash);
            }

            // Change capture as for a migrated database (SqliteMigrator.Ensure): a test schema or tool with shared
            // tables is captured the same way.
            if (!dryRun && !CaptureInstall.IsCurrent(writer.Connection, schema))
            {
                CaptureInstall.Install(writer.Connection, schema);
            }

            writer.Execute(dryRun ? "ROLLBACK" : "COMMIT");
            return new MigrationReport(Array.Empty<AppliedMigration>(), Array.Empty<Migration>(), Array.Empty<Migration>(), dryRun);
        }
        catch
        {
            Rollback(writer);
            throw;
        }
    }
}

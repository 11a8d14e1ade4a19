using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sqlite;

/// <summary>
/// Makes sure a file is this domain's Filix database: an empty file gets the generated DDL and a metadata table in
/// one transaction; an existing one must say (in <c>_filix_meta</c>) that it holds this domain. A database Filix
/// did not create is never written to.
/// </summary>
internal static class SchemaBootstrap
{
    internal const string MetaTable = "_filix_meta";

    public static void Ensure(SqliteSession writer, DatabaseSchema schema, string path)
    {
        // IMMEDIATE takes the write lock first, so two processes creating the same file cannot both apply DDL.
        writer.Execute("BEGIN IMMEDIATE");
        try
        {
            if (HasTable(writer, MetaTable))
            {
                Check(writer, schema, path);
            }
            else
            {
                var tables = UserTables(writer);
                if (tables.Count > 0)
                {
                    throw new FilixException(
                        $"'{path}' is a SQLite database but not a Filix one: it holds the tables {string.Join(", ", tables)} and no {MetaTable} table. " +
                        "Filix will not write into a database it did not create. Point Filix at another file or folder (--data), or move this file away.",
                        path);
                }

                Create(writer, schema);
            }

            writer.Execute("COMMIT");
        }
        catch
        {
            // SQLite rolls back by itself on some errors (I/O, corruption); a second ROLLBACK would then throw
            // "no transaction is active" and hide the error that explains what happened.
            if (SQLitePCL.raw.sqlite3_get_autocommit(writer.Connection.Handle) == 0)
            {
                writer.Execute("ROLLBACK");
            }

            throw;
        }
    }

    private static void Create(SqliteSession writer, DatabaseSchema schema)
    {
        writer.Execute($"CREATE TABLE \"{MetaTable}\" (\"key\" TEXT NOT NULL PRIMARY KEY, \"value\" TEXT NOT NULL) STRICT");
        foreach (var statement in schema.SqliteDdl)
        {
            writer.Execute(statement);
        }

        var insert = writer.Command($"INSERT INTO \"{MetaTable}\" (\"key\", \"value\") VALUES ($p0, $p1)", 2);
        foreach (var (key, value) in new[]
                 {
                     ("domain", schema.Domain),
                     ("schema_hash", schema.SchemaHash),
                     ("created_at", (string)SqliteValues.Timestamp(DateTimeOffset.UtcNow)),
                     ("created_by", "Filix " + typeof(SchemaBootstrap).Assembly.GetName().Version),
                 })
        {
            insert.Parameters[0].Value = key;
            insert.Parameters[1].Value = value;
            insert.ExecuteNonQuery();
        }
    }

    private static void Check(SqliteSession writer, DatabaseSchema schema, string path)
    {
        var domain = Meta(writer, "domain");
        if (!string.Equals(domain, schema.Domain, StringComparison.Ordinal))
        {
            throw new FilixException(
                $"'{path}' holds the Filix domain '{domain}', not '{schema.Domain}'. Open it with the {domain} database type, or use {schema.FileName}.",
                path);
        }

        var hash = Meta(writer, "schema_hash");
        if (!string.Equals(hash, schema.SchemaHash, StringComparison.Ordinal))
        {
            throw new FilixException(
                $"'{path}' was created from another version of the '{schema.Domain}' schema (schema hash {hash}; this build has {schema.SchemaHash} " +
                $"from {schema.SourceFile}). The database was not changed. Open it with the build that created it, or upgrade it with 'filix migrate'.",
                path);
        }
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
}

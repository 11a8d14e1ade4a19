using System.Text;
using Npgsql;

namespace Filix.Migrations.Tests.Randomized;

/// <summary>
/// A normalised dump of the public schema of a Postgres database (columns by name, indexes, constraints without the
/// names Postgres chose itself), as <c>PostgresUpgradeTests</c> compares a migrated upstream with a fresh one.
/// </summary>
internal static class PostgresCatalog
{
    /// <summary>Where Filix keeps the domain's tables: its own schema (named after the domain) where the upstream
    /// has one (issue 10, defect 4), else the connection's schema. Harness connections set
    /// <c>search_path TO library, public</c>, so unqualified SQL finds the tables either way.</summary>
    public const string SearchPath = "SET search_path TO library, public";

    /// <summary>Session settings that change how Postgres reads a date as a time or prints a date: a migration must
    /// give the same values whatever they are (SQLite has no session time zone).</summary>
    public const string Settings = "SET TimeZone = 'America/New_York'; SET DateStyle = 'SQL, DMY'";

    public static string Dump(NpgsqlConnection connection)
    {
        var schema = Scalar(connection,
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = to_regnamespace('library')) THEN 'library' ELSE 'public' END");
        var sb = new StringBuilder();
        foreach (var sql in new[]
                 {
                     "SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') FROM information_schema.columns " +
                     "WHERE table_schema = $1 AND table_name <> '_filix_migrations' ORDER BY 1, 2",
                     "SELECT tablename, regexp_replace(indexdef, ' ON \\S+\\.', ' ON ') FROM pg_indexes WHERE schemaname = $1 " +
                     "AND tablename <> '_filix_migrations' AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY 1, 2",
                     "SELECT conrelid::regclass::text, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = $1::regnamespace " +
                     "AND conrelid::regclass::text <> '_filix_migrations' ORDER BY 1, 2, 3",
                 })
        {
            using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = schema } } };
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                sb.AppendLine(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
            }
        }

        return sb.ToString();
    }

    private static string Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>The domain's tables' rows and the history, to prove a refused migration changed nothing.</summary>
    public static string State(NpgsqlConnection connection, RSchema schema, RowModel model)
    {
        var history = new List<string>();
        history.Add(Scalar(connection, "SELECT coalesce(string_agg(id || ' ' || checksum, ',' ORDER BY id), '') FROM _filix_migrations"));

        return Dump(connection) + string.Join("\n", history) + "\n" + string.Join("\n", model.Read(schema, sql => new NpgsqlCommand(sql, connection).ExecuteReader()));
    }

    public static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

using System.Text;
using Npgsql;

namespace Filix.Migrations.Tests.Randomized;

/// <summary>
/// A normalised dump of the public schema of a Postgres database (columns by name, indexes, constraints without the
/// names Postgres chose itself), as <c>PostgresUpgradeTests</c> compares a migrated upstream with a fresh one.
/// </summary>
internal static class PostgresCatalog
{
    public static string Dump(NpgsqlConnection connection)
    {
        var sb = new StringBuilder();
        foreach (var sql in new[]
                 {
                     "SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') FROM information_schema.columns " +
                     "WHERE table_schema = 'public' AND table_name <> '_filix_migrations' ORDER BY 1, 2",
                     "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' " +
                     "AND tablename <> '_filix_migrations' AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY 1, 2",
                     "SELECT conrelid::regclass::text, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace " +
                     "AND conrelid::regclass::text <> '_filix_migrations' ORDER BY 1, 2, 3",
                 })
        {
            using var command = new NpgsqlCommand(sql, connection);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                sb.AppendLine(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
            }
        }

        return sb.ToString();
    }

    /// <summary>The domain's tables' rows and the history, to prove a refused migration changed nothing.</summary>
    public static string State(NpgsqlConnection connection, RSchema schema, RowModel model)
    {
        var history = new List<string>();
        using (var command = new NpgsqlCommand("SELECT coalesce(string_agg(id || ' ' || checksum, ',' ORDER BY id), '') FROM _filix_migrations", connection))
        {
            history.Add((string)command.ExecuteScalar()!);
        }

        return Dump(connection) + string.Join("\n", history) + "\n" + string.Join("\n", model.Read(schema, sql => new NpgsqlCommand(sql, connection).ExecuteReader()));
    }

    public static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

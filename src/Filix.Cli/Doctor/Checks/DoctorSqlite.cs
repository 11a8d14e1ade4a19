using Microsoft.Data.Sqlite;

namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// The connection doctor's checks read through. Read-write, not read-only, though nothing is written: a read-only
/// connection leaves an empty <c>-wal</c> and <c>-shm</c> behind when it closes (only a connection that may write
/// removes them), which the next open would take for the marker of an unclean close. Closing the last read-write
/// connection checkpoints and removes them, as any clean close does. Never creates a file.
/// </summary>
internal static class DoctorSqlite
{
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 5,
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>The rows of a pragma or query, joined with "; ".</summary>
    public static string Text(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.IsDBNull(0) ? "NULL" : reader.GetValue(0).ToString() ?? string.Empty);
        }

        return string.Join("; ", rows);
    }
}

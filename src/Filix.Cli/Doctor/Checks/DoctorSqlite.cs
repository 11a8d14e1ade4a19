using Microsoft.Data.Sqlite;

namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// The connection doctor's checks read through; it leaves the files as it found them. With a <c>-wal</c> beside the
/// database (another process has it open, or the last one did not close it) the connection is read-only: it must
/// not checkpoint that WAL into a file that may be damaged, nor erase the mark of an unclean close. Without one it
/// is read-write, though nothing is written: a read-only connection would leave an empty <c>-wal</c> and <c>-shm</c>
/// behind when it closes (only a connection that may write removes them), which the next open would take for the
/// mark of an unclean close; the last read-write connection removes them, as any clean close does. Never creates
/// the database.
/// </summary>
internal static class DoctorSqlite
{
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = File.Exists(path + "-wal") ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
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

using System.Diagnostics;
using Filix.Runtime.Sync.Local;
using Microsoft.Data.Sqlite;

namespace Filix.Sync.Tests.Capture;

/// <summary>One <c>_filix_rows</c> entry.</summary>
internal sealed record Entry(string Table, string Key, long Hlc, string? Origin, bool Deleted);

/// <summary>Looks at a database file from outside Filix (its own connection, as another tool would) and runs the
/// team's kind of foreign writer: a Python script with the standard <c>sqlite3</c> module.</summary>
internal static class CaptureDb
{
    public static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }

    public static List<Entry> Entries(string path, string? table = null)
    {
        using var connection = Connect(path);
        using var command = connection.CreateCommand();
        // Folded or not: what the triggers recorded, without changing the file (CaptureSql.Current).
        command.CommandText = $"SELECT tbl, pk, hlc, origin, deleted FROM ({CaptureSql.Current})" + (table is null ? string.Empty : " WHERE tbl = $t") + " ORDER BY hlc";
        command.Parameters.AddWithValue("$t", (object?)table ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var entries = new List<Entry>();
        while (reader.Read())
        {
            entries.Add(new Entry(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4) != 0));
        }

        return entries;
    }

    public static Entry? Entry(string path, string table, string key) =>
        Entries(path, table).SingleOrDefault(e => e.Key == key);

    public static void Execute(string path, string sql)
    {
        using var connection = Connect(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(string path, string sql)
    {
        using var connection = Connect(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static List<string> Names(string path, string type, string like) =>
        Query(path, $"SELECT name FROM sqlite_schema WHERE type = '{type}' AND name LIKE '{like}' ORDER BY name").Select(r => (string)r[0]!).ToList();

    public static List<object?[]> Query(string path, string sql)
    {
        using var connection = Connect(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Runs <paramref name="script"/> with python3, the database path as <c>sys.argv[1]</c>; fails with its stderr.</summary>
    public static void Python(string path, string script)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        process.StandardInput.Write("import sqlite3, sys\n" + script);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "python3 failed: " + error.Result);
    }

    /// <summary>Removes capture from a file as if it had been made before issue 11: triggers, view, bookkeeping.</summary>
    public static void StripCapture(string path)
    {
        using var connection = Connect(path);
        foreach (var name in Names(path, "trigger", "\\_filix\\_capture\\_%' ESCAPE '\\"))
        {
            Run(connection, $"DROP TRIGGER \"{name}\"");
        }

        Run(connection, "DROP VIEW IF EXISTS _filix_provenance");
        foreach (var table in new[] { CaptureSql.Rows, CaptureSql.Applying, CaptureSql.SyncTables, CaptureSql.Parked, CaptureSql.SyncMeta, CaptureSql.Log })
        {
            Run(connection, $"DROP TABLE IF EXISTS \"{table}\"");
        }

        static void Run(SqliteConnection connection, string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}

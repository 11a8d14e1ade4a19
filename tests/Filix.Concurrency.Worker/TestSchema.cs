using Filix.Runtime;
using Filix.Runtime.Sqlite;

namespace Filix.Concurrency.Worker;

/// <summary>
/// The database the concurrency tests write. <c>log</c> has no unique key on <c>id</c>, so a write committed twice
/// would show up as two rows; <c>keys</c> makes a repeated id fail, to test that a failing write is undone alone;
/// <c>children</c> has a deferred foreign key, checked only at COMMIT, to make a commit fail on purpose.
/// </summary>
public static class TestSchema
{
    public const string InsertLog = "INSERT INTO log (id, process, task, n, payload) VALUES ($p0, $p1, $p2, $p3, $p4)";
    public const string InsertKey = "INSERT INTO keys (id) VALUES ($p0)";
    public const string InsertChild = "INSERT INTO children (id, parent) VALUES ($p0, $p1)";

    public static DatabaseSchema Definition { get; } = new()
    {
        Domain = "concurrency",
        SchemaHash = "concurrency-test-1",
        SourceFile = "tests/Filix.Concurrency.Worker/TestSchema.cs",
        Tables = ["log", "keys", "children"],
        SqliteDdl =
        [
            "CREATE TABLE log (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, process TEXT NOT NULL, task INTEGER NOT NULL, n INTEGER NOT NULL, payload TEXT NOT NULL) STRICT",
            "CREATE INDEX ix_log_id ON log (id)",
            "CREATE TABLE keys (id TEXT PRIMARY KEY) STRICT",
            "CREATE TABLE children (id TEXT PRIMARY KEY, parent TEXT NOT NULL REFERENCES keys (id) DEFERRABLE INITIALLY DEFERRED) STRICT",
        ],
        PostgresDdl = [],
    };

    /// <summary>One row written by one task: a log row and its key, in one operation.</summary>
    public readonly record struct Row(string Id, string Process, int Task, int N);

    /// <summary>Inserts the log row, then the key: when the key exists the whole operation (log row too) must be undone.</summary>
    public static bool Write(SqliteSession session, Row row)
    {
        var log = session.Command(InsertLog, 5);
        log.Parameters[0].Value = row.Id;
        log.Parameters[1].Value = row.Process;
        log.Parameters[2].Value = row.Task;
        log.Parameters[3].Value = row.N;
        log.Parameters[4].Value = "{\"agent\":\"" + row.Process + "\",\"n\":" + row.N + "}";
        log.ExecuteNonQuery();
        var key = session.Command(InsertKey, 1);
        key.Parameters[0].Value = row.Id;
        key.ExecuteNonQuery();
        return true;
    }
}

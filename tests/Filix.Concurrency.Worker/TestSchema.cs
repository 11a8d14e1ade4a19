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

    /// <summary>The same write as <see cref="Write"/> as one statement (a trigger inserts the key), so it can be sent
    /// as data to the process that owns the shared writer (<see cref="FilixDatabase.ExecuteAsync"/>).</summary>
    public const string InsertSharedLog = "INSERT INTO shared_log (id, process, task, n, payload) VALUES ($p0, $p1, $p2, $p3, $p4)";

    public static DatabaseSchema Definition { get; } = new()
    {
        Domain = "concurrency",
        SchemaHash = "concurrency-test-2",
        SourceFile = "tests/Filix.Concurrency.Worker/TestSchema.cs",
        Tables = ["log", "keys", "children", "shared_log", "shared_keys"],
        SqliteDdl =
        [
            "CREATE TABLE log (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, process TEXT NOT NULL, task INTEGER NOT NULL, n INTEGER NOT NULL, payload TEXT NOT NULL) STRICT",
            "CREATE INDEX ix_log_id ON log (id)",
            "CREATE TABLE keys (id TEXT PRIMARY KEY) STRICT",
            "CREATE TABLE children (id TEXT PRIMARY KEY, parent TEXT NOT NULL REFERENCES keys (id) DEFERRABLE INITIALLY DEFERRED) STRICT",
            "CREATE TABLE shared_log (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, process TEXT NOT NULL, task INTEGER NOT NULL, n INTEGER NOT NULL, payload TEXT NOT NULL) STRICT",
            "CREATE INDEX ix_shared_log_id ON shared_log (id)",
            "CREATE TABLE shared_keys (id TEXT PRIMARY KEY) STRICT",
            "CREATE TRIGGER shared_log_key AFTER INSERT ON shared_log BEGIN INSERT INTO shared_keys (id) VALUES (new.id); END",
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

    /// <summary>The stored forms of <paramref name="row"/> for <see cref="InsertSharedLog"/>.</summary>
    public static object?[] SharedValues(Row row) =>
        [row.Id, row.Process, (long)row.Task, (long)row.N, "{\"agent\":\"" + row.Process + "\",\"n\":" + row.N + "}"];

    /// <summary>Writes <paramref name="row"/> as data: through the shared writer when another process owns it.</summary>
    public static Task<int> WriteSharedAsync(FilixDatabase db, Row row, CancellationToken cancellationToken = default) =>
        db.ExecuteAsync(InsertSharedLog, 5, SharedValues(row), cancellationToken);
}

namespace Filix.Runtime.Sharing;

/// <summary>The ledger's statements. The table is made on first use, inside the transaction that first needs it.</summary>
internal sealed partial class OutcomeLedger
{
    private const string CreateSql =
        $"""CREATE TABLE IF NOT EXISTS "{Table}" ("client" INTEGER NOT NULL, "first_request" INTEGER NOT NULL, "last_request" INTEGER NOT NULL, "recorded_at" INTEGER NOT NULL, "outcomes" BLOB NOT NULL, PRIMARY KEY ("client", "first_request")) STRICT, WITHOUT ROWID""";

    // OR REPLACE: a key can only repeat if two connections drew the same random 64-bit id; failing every later
    // batch over it would be worse.
    private const string InsertSql =
        $"""INSERT OR REPLACE INTO "{Table}" ("client", "first_request", "last_request", "recorded_at", "outcomes") VALUES ($p0, $p1, $p2, $p3, $p4)""";

    private const string FindSql =
        $"""SELECT "first_request", "outcomes" FROM "{Table}" WHERE "client" = $p0 AND "first_request" <= $p1 AND "last_request" >= $p1 ORDER BY "first_request" DESC LIMIT 1""";

    private const string PruneSql =
        $"""DELETE FROM "{Table}" WHERE "client" = $p0 AND "first_request" <= $p1 AND "last_request" <= $p1""";

    private const string SweepSql = $"""DELETE FROM "{Table}" WHERE "recorded_at" < $p0""";

    private const string ExistsSql = $"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '{Table}'";
}

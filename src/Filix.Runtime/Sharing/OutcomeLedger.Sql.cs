namespace Filix.Runtime.Sharing;

/// <summary>The ledger's statements. The table is made on first use, inside the transaction that first needs it.</summary>
internal sealed partial class OutcomeLedger
{
    // A rowid table without an index: each transaction's rows append to its last page, so recording costs one page
    // in the WAL per commit; with a (client, first_request) key each client's row went to a page of its own. Lookups
    // (only for writes in doubt) and pruning scan it, which is cheap because pruning keeps it small.
    private const string CreateSql =
        $"""CREATE TABLE IF NOT EXISTS "{Table}" ("client" INTEGER NOT NULL, "first_request" INTEGER NOT NULL, "last_request" INTEGER NOT NULL, "recorded_at" INTEGER NOT NULL, "outcomes" BLOB NOT NULL) STRICT""";

    private const string InsertSql =
        $"""INSERT INTO "{Table}" ("client", "first_request", "last_request", "recorded_at", "outcomes") VALUES ($p0, $p1, $p2, $p3, $p4)""";

    private const string FindSql =
        $"""SELECT "first_request", "outcomes" FROM "{Table}" WHERE "client" = $p0 AND "first_request" <= $p1 AND "last_request" >= $p1 LIMIT 1""";

    private const string PruneSql =
        $"""DELETE FROM "{Table}" WHERE "client" = $p0 AND "last_request" <= $p1""";

    private const string SweepSql = $"""DELETE FROM "{Table}" WHERE "recorded_at" < $p0""";

    private const string ExistsSql = $"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '{Table}'";
}

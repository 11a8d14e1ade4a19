using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Filix.Sync.Bench;

/// <summary>
/// Steady state: machines A and B in sync (A seeded, pushed; B pulled), then each round another tool changes
/// <c>changes</c> rows on A with raw SQL (updates, inserts and deletes over two domains, captured by the triggers) and
/// the round times A's push plus B's pull of all five domains. B is checked equal to A after each round.
/// </summary>
internal static class SteadyState
{
    public static async Task RunAsync(BenchCluster cluster, string work, double scale, int changes, int batch, int rounds, Report report)
    {
        var a = Path.Combine(work, "a");
        var b = Path.Combine(work, "b");
        Directory.CreateDirectory(b);
        report.Step($"Setup: seed A (scale {scale.ToString(CultureInfo.InvariantCulture)}), push A, pull B");
        Domains.Seed(a, scale);
        var upstream = await cluster.CreateDatabaseAsync("steady");
        foreach (var schema in Domains.Synced)
        {
            await Peers.MigrateAsync(upstream, schema);
        }

        var push = await SyncChild.SpawnAsync("push", a, upstream, "bench-a", batch);
        var pull = await SyncChild.SpawnAsync("pull", b, upstream, "bench-b", batch);
        report.Line($"initial: pushed {push.Rows:N0} rows in {Report.F(push.Seconds)} s, pulled {pull.Rows:N0} in {Report.F(pull.Seconds)} s");
        Check(a, b);

        var results = new List<object>();
        var table = new List<IReadOnlyList<string>>();
        for (var round = 1; round <= rounds; round++)
        {
            var changed = Change(a, round, changes);
            var load = ProcStats.LoadAverage();
            var pushRound = await SyncChild.SpawnAsync("push", a, upstream, "bench-a", batch);
            var pullRound = await SyncChild.SpawnAsync("pull", b, upstream, "bench-b", batch);
            Check(a, b);
            var seconds = pushRound.Seconds + pullRound.Seconds;
            table.Add([
                round.ToString(CultureInfo.InvariantCulture), changed.ToString("N0", CultureInfo.InvariantCulture),
                pushRound.Rows.ToString("N0", CultureInfo.InvariantCulture), Report.F(pushRound.Seconds, "N3"),
                pullRound.Rows.ToString("N0", CultureInfo.InvariantCulture), Report.F(pullRound.Seconds, "N3"),
                "**" + Report.Rate(changed, seconds) + "**", Report.F(load)]);
            results.Add(new { round, changed, push = pushRound, pull = pullRound, load, rowsPerSecond = changed / seconds });
        }

        report.Step($"Steady state: {changes:N0} changed rows on A reach B (push A + pull B, all five domains)");
        report.Table(["round", "rows changed on A", "pushed", "push s", "pulled", "pull s", "rows/s (changed / (push + pull))", "load"], table);
        report.Line("B equals A row for row as values after every round (checked, not timed; JSON text compared minified).");
        report.Figure("steady", results);
    }

    /// <summary>Changes exactly <paramref name="changes"/> rows on A the way another tool would (its own connection,
    /// raw SQL, one transaction per file): in entities 20% entity updates, 30% event updates, 10% event deletes, 10%
    /// event inserts; in transcripts 30% segment updates. Returns the rows changed.</summary>
    private static long Change(string a, int round, int changes)
    {
        int Part(double share) => (int)Math.Round(changes * share);
        var entityUpdates = Part(0.2);
        var eventUpdates = Part(0.3);
        var eventDeletes = Part(0.1);
        var eventInserts = Part(0.1);
        var segmentUpdates = changes - entityUpdates - eventUpdates - eventDeletes - eventInserts;
        long changed = 0;
        changed += Execute(Path.Combine(a, "entities.db"), round,
            $"UPDATE entities SET summary = 'steady round ' || $round || ' ' || id WHERE rowid IN (SELECT rowid FROM entities ORDER BY rowid LIMIT {entityUpdates} OFFSET ($round * {entityUpdates}) % max(1, (SELECT count(*) FROM entities) - {entityUpdates}))",
            $"UPDATE events SET note = 'steady round ' || $round WHERE rowid IN (SELECT rowid FROM events ORDER BY rowid LIMIT {eventUpdates} OFFSET ($round * {eventUpdates}) % max(1, (SELECT count(*) FROM events) - {eventUpdates}))",
            $"DELETE FROM events WHERE rowid IN (SELECT rowid FROM events ORDER BY rowid DESC LIMIT {eventDeletes})",
            $"INSERT INTO events (entity_id, role, role_type, source) SELECT id, 'steady-' || $round, 'tag', 'bench' FROM entities ORDER BY rowid LIMIT {eventInserts}");
        changed += Execute(Path.Combine(a, "transcripts.db"), round,
            $"UPDATE segments SET text = text || ' (round ' || $round || ')' WHERE rowid IN (SELECT rowid FROM segments ORDER BY rowid LIMIT {segmentUpdates} OFFSET ($round * {segmentUpdates}) % max(1, (SELECT count(*) FROM segments) - {segmentUpdates}))");
        if (changed != changes)
        {
            throw new InvalidOperationException($"the round changed {changed:N0} rows on A, not {changes:N0}: the seeded data is too small for --changes {changes} (use a larger --scale).");
        }

        return changed;
    }

    private static long Execute(string file, int round, params string[] statements)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=30");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        long changed = 0;
        foreach (var statement in statements)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = statement;
            command.Parameters.AddWithValue("$round", round);
            changed += command.ExecuteNonQuery();
        }

        transaction.Commit();
        return changed;
    }

    private static void Check(string a, string b) => Domains.CheckEqual(a, b);
}

using Filix.Concurrency.Tests.Sharing;
using Filix.Concurrency.Worker;
using Filix.Runtime;
using Filix.Runtime.Sharing;
using Microsoft.Data.Sqlite;

namespace Filix.Concurrency.Tests;

/// <summary>
/// Writes in flight when their owner "dies": injected faults (<see cref="OwnerDeath"/>) drop replies, hold frames and
/// sever the socket at chosen moments (the owner process stays up, its writer committing, as a killed owner's last commit
/// would have), so each case is reached deterministically. The client resolves each write through its next
/// route and the owner's outcome records.
/// </summary>
public sealed class InDoubtWriteTests
{
    private static TestSchema.Row Row(string id) => new(id, "p", 0, 0);

    private static object?[] Rows(params string[] ids) => [.. ids.SelectMany(id => TestSchema.SharedValues(Row(id)))];

    [Fact]
    public async Task Writes_whose_replies_were_lost_resolve_to_their_exact_outcome()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();
        await TestSchema.WriteSharedAsync(client, Row("dup"));
        var connection = Assert.Single(owner.Shared!.Host!.Connections);
        var death = new OwnerDeath();
        owner.Shared.Faults = death;

        // Decided and committed, replies lost: a duplicate that fails in its savepoint, then a three-row write.
        death.MuteReplies(connection);
        var failed = TestSchema.WriteSharedAsync(client, Row("dup"));
        var stored = client.ExecuteAsync(TestSchema.InsertSharedLog, 5, Rows("s1", "s2", "s3"));
        await Eventually.TrueAsync(() => temp.LogCounts("shared_log").ContainsKey("s3"));

        // Sent, never read by the owner.
        var held = death.HoldFramesAsync(connection);
        var neverRun = TestSchema.WriteSharedAsync(client, Row("late"));
        await held;
        Assert.False(failed.IsCompleted || stored.IsCompleted || neverRun.IsCompleted);
        death.Sever(connection);

        Assert.Equal(3, await stored);
        var error = await Assert.ThrowsAsync<FilixException>(() => failed);
        Assert.Contains("shared_keys.id", error.Message, StringComparison.Ordinal);
        Assert.Equal(1555, Assert.IsType<SqliteException>(error.InnerException).SqliteExtendedErrorCode);
        Assert.Equal(1, await neverRun);
        AssertEachOnce(temp, "dup", "s1", "s2", "s3", "late");
    }

    [Fact]
    public async Task A_write_whose_retry_also_lost_its_reply_is_resolved_through_both_sendings()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();
        await TestSchema.WriteSharedAsync(client, Row("warm"));
        var first = Assert.Single(owner.Shared!.Host!.Connections);
        var death = new OwnerDeath();
        owner.Shared.Faults = death;

        death.MuteReplies(first);
        var stored = TestSchema.WriteSharedAsync(client, Row("stored"));
        await Eventually.TrueAsync(() => temp.LogCounts("shared_log").ContainsKey("stored"));
        var held = death.HoldFramesAsync(first);
        var late = TestSchema.WriteSharedAsync(client, Row("late"));
        await held;

        // The client reconnects to the same owner and retries both there; they wait behind a held write, and their
        // replies are lost as well.
        using (var gate = WriterGate.Close(owner))
        {
            death.Sever(first);
            HostConnection? second = null;
            await Eventually.TrueAsync(() => (second = owner.Shared.Host.Connections.FirstOrDefault(c => c.ClientId != first.ClientId)) is not null);
            death.MuteReplies(second!);
            gate.Open();
            await Eventually.TrueAsync(() => temp.LogCounts("shared_log").ContainsKey("late"));
            death.Sever(second!);
        }

        // "stored" answered from the first sending's record, "late" from the retry's (it ran there): neither twice.
        Assert.Equal(1, await stored);
        Assert.Equal(1, await late);
        AssertEachOnce(temp, "warm", "stored", "late");
    }

    [Fact]
    public async Task Outcome_records_are_pruned_while_a_client_writes_and_gone_after_it_closes()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        var client = await temp.OpenAsync();
        using var stop = new CancellationTokenSource();
        var acked = 0;
        var writers = Enumerable.Range(0, 8).Select(task => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                await TestSchema.WriteSharedAsync(client, new TestSchema.Row($"w{task}-{n}", "w", task, n));
                Interlocked.Increment(ref acked);
            }
        })).ToList();

        // Every record present after half a second is gone a second and a half later, while the writes go on.
        await Eventually.TrueAsync(() => Volatile.Read(ref acked) > 500);
        await Task.Delay(500);
        var early = temp.Scalar<long>($"SELECT max(last_request) FROM {OutcomeLedger.Table}");
        await Task.Delay(1500);
        var left = temp.Scalar<long>($"SELECT count(*) FROM {OutcomeLedger.Table} WHERE last_request <= {early}");
        var later = temp.Scalar<long>($"SELECT count(*) FROM {OutcomeLedger.Table}");
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(left == 0, $"{left} records of the client's first {early} writes outlived their replies");
        Assert.True(later < Volatile.Read(ref acked) / 10, $"{later} records for {acked} writes");

        await client.DisposeAsync();
        await Eventually.TrueAsync(() => OutcomeRows(temp) == 0);
    }

    [Fact]
    public async Task An_owner_that_closes_deletes_the_records_of_its_clients()
    {
        using var temp = new TempDatabase();
        var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();
        var writes = Enumerable.Range(0, 500).Select(i => TestSchema.WriteSharedAsync(client, Row("c" + i))).ToList();
        await Task.WhenAll(writes);
        Assert.True(OutcomeRows(temp) > 0, "the test should start with records to delete");

        await owner.DisposeAsync();

        Assert.Equal(0, OutcomeRows(temp));
    }

    [Fact]
    public void Outcome_runs_read_back_every_request_they_encode()
    {
        var run = new OutcomeRun(42);
        var failure = new RemoteFailure(19, 2067, "Writing to 'x' failed; nothing from this write was stored. ✓ unique");
        run.Add(7, WriteOutcome.Stored(1));
        run.Add(8, new WriteOutcome(0, failure));
        run.Add(9, WriteOutcome.Stored(300));
        run.Add(10, new WriteOutcome(0, new RemoteFailure(0, 0, "not SQLite")));
        var blob = run.ToArray();

        Assert.Equal((7L, 10L), (run.First, run.Last));
        Assert.Equal(WriteOutcome.Stored(1), OutcomeRun.Read(blob, 7, 7));
        Assert.Equal(failure, OutcomeRun.Read(blob, 7, 8).Failure);
        Assert.Equal(WriteOutcome.Stored(300), OutcomeRun.Read(blob, 7, 9));
        Assert.Equal("not SQLite", OutcomeRun.Read(blob, 7, 10).Failure!.Message);
        Assert.Throws<InvalidDataException>(() => OutcomeRun.Read(blob.AsSpan(0, blob.Length - 3), 7, 10));
    }

    private static long OutcomeRows(TempDatabase temp) =>
        temp.Scalar<long>($"SELECT count(*) FROM sqlite_schema WHERE name = '{OutcomeLedger.Table}'") == 0
            ? 0
            : temp.Scalar<long>($"SELECT count(*) FROM {OutcomeLedger.Table}");

    private static void AssertEachOnce(TempDatabase temp, params string[] ids)
    {
        var counts = temp.LogCounts("shared_log");
        Assert.Equal(ids.Order(), counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.Equal(1, c));
        Assert.Equal("ok", temp.Scalar<string>("PRAGMA integrity_check"));
    }

}

/// <summary>When a write in doubt may still be resolved from the owner's records (they are swept after an hour).</summary>
public sealed class InDoubtAgeTests
{
    private static ClientWrite Write() => new(new Filix.Runtime.Writing.StatementWrite("SELECT 1", 0, []), CancellationToken.None);

    [Fact]
    public void A_write_first_sent_moments_ago_may_be_resolved()
    {
        var write = Write();
        write.Sent();
        Assert.True(write.MayResolve);
    }

    [Fact]
    public void A_write_whose_wall_clock_age_passed_half_the_retention_may_not_even_if_the_monotonic_clock_says_otherwise()
    {
        // The machine slept two hours (the monotonic clock stopped, the wall clock did not), or the clock was set
        // forward: the records may be swept, so "no record" would no longer mean "not stored".
        var write = Write();
        write.Sent(System.Diagnostics.Stopwatch.GetTimestamp(), DateTime.UtcNow - TimeSpan.FromHours(2));
        Assert.False(write.MayResolve);
    }

    [Fact]
    public void A_write_whose_monotonic_age_passed_half_the_retention_may_not_even_if_the_wall_clock_was_set_back()
    {
        var write = Write();
        write.Sent(System.Diagnostics.Stopwatch.GetTimestamp() - 2 * 3600 * System.Diagnostics.Stopwatch.Frequency, DateTime.UtcNow);
        Assert.False(write.MayResolve);
    }
}

using Filix.Concurrency.Worker;
using Filix.Runtime;
using Filix.Runtime.Sqlite;
using Filix.Runtime.Writing;
using Microsoft.Data.Sqlite;

namespace Filix.Concurrency.Tests;

/// <summary>The group-commit writer inside one process: batching, isolation of failures, cancellation, backpressure.</summary>
public sealed class GroupCommitTests
{
    private static TestSchema.Row Row(string id) => new(id, "p", 0, 0);

    [Fact]
    public async Task Many_tasks_write_concurrently_and_each_row_is_stored_exactly_once_and_readable_after_its_ack()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();

        var unreadable = 0;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(task => Task.Run(async () =>
        {
            for (var n = 0; n < 50; n++)
            {
                var row = new TestSchema.Row($"t{task}-{n}", "p", task, n);
                await db.WriteAsync(TestSchema.Write, row);

                // Read-your-writes: a read on a pooled read connection right after the ack sees the row.
                var seen = await db.ReadAsync(static (session, id) =>
                {
                    var command = session.Command("SELECT count(*) FROM keys WHERE id = $p0", 1);
                    command.Parameters[0].Value = id;
                    return (long)command.ExecuteScalar()!;
                }, row.Id);
                if (seen != 1)
                {
                    Interlocked.Increment(ref unreadable);
                }
            }
        })));

        Assert.Equal(0, unreadable);
        var counts = temp.LogCounts();
        Assert.Equal(32 * 50, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task Writes_queued_while_the_writer_is_busy_commit_together_in_one_transaction()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();
        using var gate = WriterGate.Close(db);

        var writes = Enumerable.Range(0, 20).Select(i => db.WriteAsync(TestSchema.Write, Row("r" + i))).ToList();
        var txn = db.WriteAsync(static (session, _) => (long)session.Scalar("SELECT count(*) FROM log")!, 0);
        gate.Open();
        await Task.WhenAll(writes);

        // The 21st write ran after the 20 before it in the same uncommitted transaction: it saw all of them.
        Assert.Equal(20L, await txn);
        Assert.Equal(20L, temp.Scalar<long>("SELECT count(*) FROM log"));
    }

    [Fact]
    public async Task A_failing_write_fails_only_its_caller_and_its_partial_changes_are_undone()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();
        await db.WriteAsync(TestSchema.Write, Row("taken"));

        using var gate = WriterGate.Close(db);
        var before = db.WriteAsync(TestSchema.Write, Row("a"));
        var duplicate = db.WriteAsync(TestSchema.Write, Row("taken")); // inserts a log row, then fails on keys
        var throwing = db.WriteAsync<int, bool>(static (_, _) => throw new InvalidOperationException("boom"), 0);
        var after = db.WriteAsync(TestSchema.Write, Row("b"));
        gate.Open();

        await before;
        await after;
        var constraint = await Assert.ThrowsAsync<FilixException>(() => duplicate);
        Assert.Equal(19, Assert.IsType<SqliteException>(constraint.InnerException).SqliteErrorCode);
        Assert.Equal("boom", (await Assert.ThrowsAsync<InvalidOperationException>(() => throwing)).Message);

        var counts = temp.LogCounts();
        Assert.Equal(1, counts["taken"]); // the duplicate's log row was rolled back with its savepoint
        Assert.Equal(1, counts["a"]);
        Assert.Equal(1, counts["b"]);
        Assert.Equal(3, counts.Count);
    }

    [Fact]
    public async Task Disposing_from_inside_a_write_delegate_is_refused_and_the_database_stays_usable()
    {
        using var temp = new TempDatabase();
        var db = await temp.OpenAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.WriteAsync(static (session, db) =>
        {
            _ = db.DisposeAsync();
            return true;
        }, db));
        Assert.Contains("cannot be disposed from inside one of its write delegates", error.Message);

        Assert.True(await db.WriteAsync(TestSchema.Write, Row("after")));
        await db.DisposeAsync();
        Assert.Equal(["after"], temp.LogCounts().Keys);
        Assert.False(File.Exists(temp.Path + "-wal") && new FileInfo(temp.Path + "-wal").Length > 0, "the close did not checkpoint");
    }

    [Theory]
    [InlineData("COMMIT")]
    [InlineData("ROLLBACK")]
    public async Task A_delegate_that_ends_the_transaction_is_refused_and_what_the_writer_reports_is_true(string statement)
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();

        Task<bool> first, second, after;
        Task<int> rogue;
        using (var gate = WriterGate.Close(db))
        {
            first = db.WriteAsync(TestSchema.Write, Row("first"));
            second = db.WriteAsync(TestSchema.Write, Row("second"));
            rogue = db.WriteAsync(static (session, sql) => session.Execute(sql), statement);
            after = db.WriteAsync(TestSchema.Write, Row("after"));
            gate.Open();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => rogue);
        Assert.Contains("must not run COMMIT, ROLLBACK or BEGIN", error.Message);
        Assert.Contains(temp.Path, error.Message);
        foreach (var lost in new[] { first, second })
        {
            var rolledBack = await Assert.ThrowsAsync<FilixException>(() => lost);
            Assert.Contains("Nothing of this write was stored", rolledBack.Message);
        }

        Assert.True(await after);

        // The writer said the first two were not stored: the file agrees (a delegate's COMMIT used to store them).
        Assert.Equal(["after"], temp.LogCounts().Keys);
    }

    [Fact]
    public async Task When_the_commit_itself_fails_every_write_of_the_batch_fails_and_none_is_stored()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();

        using (var gate = WriterGate.Close(db))
        {
            var good = db.WriteAsync(TestSchema.Write, Row("good"));

            // A deferred foreign key is checked only at COMMIT: this write succeeds, then sinks the commit.
            var orphan = db.WriteAsync(static (session, _) =>
            {
                var command = session.Command(TestSchema.InsertChild, 2);
                command.Parameters[0].Value = "child";
                command.Parameters[1].Value = "no-such-parent";
                return command.ExecuteNonQuery();
            }, 0);
            gate.Open();

            var goodError = await Assert.ThrowsAsync<FilixException>(() => good);
            var orphanError = await Assert.ThrowsAsync<FilixException>(() => orphan);
            Assert.Contains("Nothing of these writes was stored", goodError.Message);
            Assert.Contains("Committing a batch of writes", goodError.Message);
            Assert.Contains("A foreign key check failed", goodError.Message);
            Assert.Same(goodError, orphanError);
            Assert.Equal(temp.Path, goodError.Path);
        }

        Assert.Equal(0L, temp.Scalar<long>("SELECT count(*) FROM log"));
        Assert.Equal(0L, temp.Scalar<long>("SELECT count(*) FROM children"));

        // The writer recovers: the next batch commits.
        await db.WriteAsync(TestSchema.Write, Row("later"));
        Assert.Equal(1L, temp.Scalar<long>("SELECT count(*) FROM log"));
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_not_run()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();
        var ran = new System.Runtime.CompilerServices.StrongBox<int>();

        using var cancellation = new CancellationTokenSource();
        using (var gate = WriterGate.Close(db))
        {
            var cancelled = db.WriteAsync(static (_, counter) => Interlocked.Increment(ref counter.Value), ran, cancellation.Token);
            var kept = db.WriteAsync(TestSchema.Write, Row("kept"));
            await cancellation.CancelAsync();

            // The task completes as cancelled at once, before the writer is free again.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
            gate.Open();
            await kept;
        }

        await db.WriteAsync(TestSchema.Write, Row("after"));
        Assert.Equal(0, Volatile.Read(ref ran.Value));
        Assert.Equal(2L, temp.Scalar<long>("SELECT count(*) FROM log"));

        // Already cancelled before the call: not queued at all.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.WriteAsync(TestSchema.Write, Row("never"), cancellation.Token));
    }

    [Fact]
    public async Task A_full_queue_makes_writers_wait_instead_of_growing()
    {
        using var temp = new TempDatabase();
        const int capacity = 8;
        await using var db = await temp.OpenAsync(new FilixOptions { WriteQueueCapacity = capacity });
        var writer = db.Writer;

        using var gate = WriterGate.Close(db);
        var writes = Enumerable.Range(0, 100).Select(i => db.WriteAsync(TestSchema.Write, Row("q" + i))).ToList();

        // The queue fills to its capacity and stays there; the other 92 callers wait for room.
        while (writer.QueueDepth < capacity)
        {
            await Task.Delay(10);
        }

        Assert.Equal(capacity, writer.QueueDepth);
        Assert.All(writes, w => Assert.False(w.IsCompleted));
        gate.Open();
        await Task.WhenAll(writes);
        Assert.Equal(0, writer.QueueDepth);
        Assert.Equal(100L, temp.Scalar<long>("SELECT count(*) FROM log"));
    }

    [Fact]
    public async Task Dispose_commits_every_queued_write_checkpoints_and_refuses_new_ones()
    {
        using var temp = new TempDatabase();
        var db = await temp.OpenAsync();
        List<Task<bool>> writes;
        using (var gate = WriterGate.Close(db))
        {
            writes = Enumerable.Range(0, 50).Select(i => db.WriteAsync(TestSchema.Write, Row("d" + i))).ToList();
            var disposing = db.DisposeAsync();
            var refused = await Assert.ThrowsAsync<FilixException>(() => db.WriteAsync(TestSchema.Write, Row("late")));
            Assert.Contains("closing or closed", refused.Message);
            gate.Open();
            await disposing;
        }

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        Assert.False(File.Exists(temp.Path + "-wal") && new FileInfo(temp.Path + "-wal").Length > 0, "The WAL was not checkpointed on dispose.");
        Assert.Equal(50L, temp.Scalar<long>("SELECT count(*) FROM log"));
        await db.DisposeAsync(); // a second dispose is harmless
    }

    [Fact]
    public async Task A_write_started_from_inside_a_write_delegate_is_refused_not_deadlocked()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync();
        var inner = await db.WriteAsync(static (session, db) => db.WriteAsync(TestSchema.Write, Row("inner")), db);
        await Assert.ThrowsAsync<InvalidOperationException>(() => inner);
    }

    [Fact]
    public async Task A_commit_participant_sees_each_transactions_operations_and_its_failure_fails_the_batch()
    {
        using var temp = new TempDatabase();
        await using var db = await temp.OpenAsync(new FilixOptions { ShareWriter = false });
        var recorder = new RecordingParticipant();
        db.Writer.Participant = recorder;
        await db.WriteAsync(TestSchema.Write, Row("k"));
        using (var gate = WriterGate.Close(db))
        {
            var writes = new[] { "a", "k", "b" }.Select(id => db.WriteAsync(TestSchema.Write, Row(id))).ToList();
            gate.Open();
            await Task.WhenAll(writes[0], writes[2]);
            await Assert.ThrowsAsync<FilixException>(() => writes[1]);
        }

        // [k], [gate], then [a, k (failed in its savepoint: decided too), b].
        Assert.Equal([1, 1, 3], recorder.Sizes);
        Assert.Equal(3, recorder.Commits);

        recorder.Refuse = true;
        var error = await Assert.ThrowsAsync<FilixException>(() => db.WriteAsync(TestSchema.Write, Row("lost")));
        Assert.Contains("Nothing of these writes was stored", error.Message, StringComparison.Ordinal);
        Assert.False(temp.LogCounts().ContainsKey("lost"));
        Assert.Equal(3, recorder.Commits);
    }

    private sealed class RecordingParticipant : ICommitParticipant
    {
        public List<int> Sizes { get; } = [];

        public int Commits { get; private set; }

        public bool Refuse { get; set; }

        public void BeforeCommit(SqliteSession session, ReadOnlySpan<IWriteOperation> operations)
        {
            Sizes.Add(operations.Length);
            if (Refuse)
            {
                throw new SqliteException("database or disk is full (refused by the test)", 13);
            }
        }

        public void Committed() => Commits++;
    }
}

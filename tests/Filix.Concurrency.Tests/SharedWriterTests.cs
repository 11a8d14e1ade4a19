using Filix.Concurrency.Tests.Sharing;
using Filix.Concurrency.Worker;
using Filix.Runtime;
using Filix.Runtime.Sharing;
using Filix.Runtime.Sharing.Protocol;
using Microsoft.Data.Sqlite;

namespace Filix.Concurrency.Tests;

/// <summary>
/// The writer shared by every opener of a database on this machine. Two opens in one process are two openers as far
/// as the owner lock and the socket are concerned, so most of the protocol is tested here without child processes;
/// ProcessTests repeats the essentials with real ones.
/// </summary>
public sealed class SharedWriterTests
{
    private static TestSchema.Row Row(string id) => new(id, "p", 0, 0);

    [Fact]
    public async Task The_first_opener_owns_the_writer_and_a_second_sends_its_writes_there()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();

        Assert.True(owner.Shared!.IsOwner);
        Assert.True(client.Shared!.IsClient);
        Assert.Equal(1, await TestSchema.WriteSharedAsync(client, Row("a")));
        Assert.Equal(3, await client.ExecuteAsync(TestSchema.InsertSharedLog, 5, [.. TestSchema.SharedValues(Row("b")), .. TestSchema.SharedValues(Row("c")), .. TestSchema.SharedValues(Row("d"))]));

        // Committed by the owner's writer: the client's own writer never ran a batch.
        Assert.Equal(0, client.Writer.Batches);
        Assert.Equal(["a", "b", "c", "d"], temp.LogCounts("shared_log").Keys.Order());

        // Read-your-writes holds across the hop: the client's own read connections see the row at once.
        Assert.Equal(1L, await client.ReadAsync(static (session, _) => (long)session.Scalar("SELECT count(*) FROM shared_keys WHERE id = 'a'")!, 0));
    }

    [Fact]
    public async Task A_failing_remote_write_fails_alone_with_the_same_error_a_local_write_gets()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();
        await TestSchema.WriteSharedAsync(client, Row("dup"));

        var writes = Enumerable.Range(0, 20).Select(i => TestSchema.WriteSharedAsync(client, Row(i == 7 ? "dup" : "r" + i))).ToList();
        var error = await Assert.ThrowsAsync<FilixException>(() => writes[7]);
        var local = await Assert.ThrowsAsync<FilixException>(() => TestSchema.WriteSharedAsync(owner, Row("dup")));

        Assert.Equal(local.Message, error.Message);
        Assert.Contains("shared_keys.id", error.Message, StringComparison.Ordinal);
        var sqlite = Assert.IsType<SqliteException>(error.InnerException);
        Assert.Equal(19, sqlite.SqliteErrorCode);
        Assert.Equal(1555, sqlite.SqliteExtendedErrorCode);
        Assert.Equal(temp.Path, error.Path);

        // The trigger's key insert failed, so the log row of the same statement is undone too; the others commit.
        await Task.WhenAll(writes.Where((_, i) => i != 7));
        var counts = temp.LogCounts("shared_log");
        Assert.Equal(20, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task When_the_owner_closes_a_writing_client_loses_nothing_and_takes_over()
    {
        using var temp = new TempDatabase();
        var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();
        Assert.True(client.Shared!.IsClient);

        using var stop = new CancellationTokenSource();
        var acked = new System.Collections.Concurrent.ConcurrentBag<string>();
        var writers = Enumerable.Range(0, 8).Select(task => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var row = new TestSchema.Row($"c{task}-{n}", "c", task, n);
                await TestSchema.WriteSharedAsync(client, row);
                acked.Add(row.Id);
            }
        })).ToList();

        await Eventually.TrueAsync(() => acked.Count > 500);
        await owner.DisposeAsync();
        await Eventually.TrueAsync(() => client.Shared.IsOwner);
        var atTakeover = acked.Count;
        await Eventually.TrueAsync(() => acked.Count > atTakeover + 500);
        await stop.CancelAsync();
        await Task.WhenAll(writers); // no write failed: a failure would surface here

        var counts = temp.LogCounts("shared_log");
        Assert.Equal(acked.Count, counts.Count);
        Assert.All(acked, id => Assert.Equal(1, counts.GetValueOrDefault(id)));
        Assert.Equal("ok", temp.Scalar<string>("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task A_closing_client_delivers_every_queued_write_before_it_returns()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        var client = await temp.OpenAsync();
        var writes = Enumerable.Range(0, 2000).Select(i => TestSchema.WriteSharedAsync(client, Row("q" + i))).ToList();

        await client.DisposeAsync();

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        Assert.Equal(2000, temp.LogCounts("shared_log").Count);
        Assert.Equal(0, owner.Shared!.HostClientCount);
    }

    [Fact]
    public async Task A_peer_that_breaks_the_protocol_is_hung_up_on_and_the_others_keep_writing()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();

        using (var rogue = await RawPeer.ConnectAsync(temp.Path))
        {
            await rogue.SendAsync(new byte[] { 0xff, 0xff, 0xff, 0x7f, 1, 2, 3 });
            Assert.Empty(await rogue.ReadUntilHangUpAsync(TimeSpan.FromSeconds(30), "a length prefix of 2 GiB")); // nothing answered
        }

        Assert.Equal(1, await TestSchema.WriteSharedAsync(client, Row("still")));
    }

    [Fact]
    public async Task A_client_write_to_an_owner_whose_writer_stopped_on_a_fault_fails_at_once_instead_of_hanging()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();
        Assert.Equal(1, await TestSchema.WriteSharedAsync(client, Row("before")));

        // Something outside any one write (a failing lock file, a bug) stops the owner's writer thread.
        await owner.Writer.EnqueueAsync(new Poison(), CancellationToken.None);
        await Eventually.TrueAsync(() => owner.Writer.Faulted, "the writer to stop");

        // Certainly not stored, so it fails with the owner's error rather than sitting "in doubt" behind retries.
        var error = await Assert.ThrowsAsync<FilixException>(() => TestSchema.WriteSharedAsync(client, Row("after")).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("stopped after an error", error.Message, StringComparison.Ordinal);
        Assert.Equal(["before"], temp.LogCounts("shared_log").Keys);
    }

    /// <summary>An operation that throws where the writer does not expect it (outside its savepoint).</summary>
    private sealed class Poison : Filix.Runtime.Writing.IWriteOperation
    {
        public bool TryStart() => throw new InvalidOperationException("poison");

        public void Run(Filix.Runtime.Sqlite.SqliteSession session)
        {
        }

        public void Succeed()
        {
        }

        public bool Fail(Exception error) => true;
    }

    [Fact]
    public async Task Frames_sent_right_behind_the_hello_are_served_not_lost()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();

        using var peer = await RawPeer.ConnectAsync(temp.Path);
        var frames = HelloAndStatement(7);
        new WriteFrame(1, 0, [.. TestSchema.SharedValues(Row("pipelined"))]).Write(frames);
        await peer.SendAsync(frames); // one send: no wait for the welcome

        var answers = await peer.ReadAsync(2, TimeSpan.FromSeconds(30));
        Assert.Equal([FrameKind.Welcome, FrameKind.Done], answers.Select(a => a.Kind));
        Assert.Equal(new DoneFrame(1, 1), DoneFrame.Read(answers[1].Payload));
        Assert.Equal(["pipelined"], temp.LogCounts("shared_log").Keys);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1 << 30)] // would allocate 8 GiB before reading a value
    [InlineData(3)] // not whole rows of the statement's 5 parameters
    public async Task A_write_frame_whose_value_count_does_not_fit_is_hung_up_on_before_anything_is_allocated(int count)
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();

        using (var rogue = await RawPeer.ConnectAsync(temp.Path))
        {
            // Written field by field: the codec's WriteFrame cannot make this lie about its value count.
            var frames = HelloAndStatement(42);
            frames.Begin(FrameKind.Write).Int64(1).Int32(0).Int32(count).Value("x").Value("p").Value(1L).End();
            await rogue.SendAsync(frames);

            // The welcome, then the hang-up: no answer to the write.
            var answers = await rogue.ReadUntilHangUpAsync(TimeSpan.FromSeconds(30), $"a write of {count} values");
            Assert.Equal([FrameKind.Welcome], answers.Select(a => a.Kind));
        }

        Assert.Equal(1, await TestSchema.WriteSharedAsync(client, Row("still")));
        Assert.Equal(["still"], temp.LogCounts("shared_log").Keys);
    }

    [Fact]
    public async Task A_value_without_a_stored_form_is_refused_at_the_call()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();

        var error = Assert.Throws<ArgumentException>(() => { _ = client.ExecuteAsync(TestSchema.InsertSharedLog, 5, ["x", "p", 1, 2L, "{}"]); });
        Assert.Contains("Value 2 is a System.Int32", error.Message, StringComparison.Ordinal);
        var shape = Assert.Throws<ArgumentException>(() => { _ = client.ExecuteAsync(TestSchema.InsertSharedLog, 5, ["x", "p"]); });
        Assert.Contains("2 values do not make whole rows of 5", shape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_sharing_off_each_opener_writes_through_its_own_writer()
    {
        using var temp = new TempDatabase();
        var options = new FilixOptions { ShareWriter = false };
        await using var first = await temp.OpenAsync(options);
        await using var second = await temp.OpenAsync(options);

        Assert.Null(first.Shared);
        await TestSchema.WriteSharedAsync(second, Row("own"));
        Assert.Equal(1, second.Writer.Batches);
    }

    [Fact]
    public async Task An_owner_that_cannot_create_its_socket_says_why_and_every_opener_still_writes()
    {
        using var temp = new TempDatabase();
        var socket = SharedWriter.SocketPathFor(temp.Path);
        Directory.CreateDirectory(socket);
        File.WriteAllText(Path.Combine(socket, "keep"), "a folder where the socket should be");
        await using var owner = await temp.OpenAsync();
        await using var other = await temp.OpenAsync();

        Assert.True(owner.Shared!.IsOwner is false && owner.SharingProblem is not null);
        Assert.Contains(socket, owner.SharingProblem, StringComparison.Ordinal);
        Assert.Contains("own writer", owner.SharingProblem, StringComparison.Ordinal);
        Assert.Null(other.SharingProblem);
        Assert.Equal(1, await TestSchema.WriteSharedAsync(owner, Row("o")));
        Assert.Equal(1, await TestSchema.WriteSharedAsync(other, Row("x")));
        Assert.Equal(["o", "x"], temp.LogCounts("shared_log").Keys.Order());
    }

    [Fact]
    public void A_database_path_too_long_for_a_socket_address_gets_its_socket_in_the_temp_folder()
    {
        var shortPath = "/data/entities.db";
        var longPath = "/" + string.Join('/', Enumerable.Repeat("a-rather-long-folder-name", 6)) + "/entities.db";

        Assert.Equal("/data/entities.db-filix.sock", SharedWriter.SocketPathFor(shortPath));
        var hashed = SharedWriter.SocketPathFor(longPath);
        Assert.StartsWith(Path.GetTempPath(), hashed, StringComparison.Ordinal);
        Assert.Equal(hashed, SharedWriter.SocketPathFor(longPath)); // every process computes the same one
        Assert.NotEqual(hashed, SharedWriter.SocketPathFor(longPath + "2"));
    }

    /// <summary>What a client sends first, through the codec: its hello and statement 0 (the shared log insert, 5 parameters).</summary>
    private static FrameWriter HelloAndStatement(long clientId)
    {
        var frames = new FrameWriter(256);
        new HelloFrame(WireProtocol.Version, clientId).Write(frames);
        new StatementFrame(0, TestSchema.InsertSharedLog, 5).Write(frames);
        return frames;
    }
}

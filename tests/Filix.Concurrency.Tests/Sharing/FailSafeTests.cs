using System.Net.Sockets;
using Filix.Concurrency.Worker;
using Filix.Runtime;
using Filix.Runtime.Sharing;
using Filix.Runtime.Writing;

namespace Filix.Concurrency.Tests.Sharing;

/// <summary>
/// Every connection loop fails safe: an unforeseen exception inside it (injected through <see cref="SharingFaults"/>)
/// breaks that connection only, every caller still gets an answer (the exact one, through the outcome records), and
/// closing returns. Each awaits with a bound that only catches hangs: before these loops caught everything, each of
/// these tests hung there.
/// </summary>
public sealed class FailSafeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static TestSchema.Row Row(string id) => new(id, "p", 0, 0);

    [Theory]
    [InlineData(BugPoint.HostFrame)] // the owner's receive loop
    [InlineData(BugPoint.HostSend)] // the owner's reply loop: its socket was never closed, the client waited forever
    [InlineData(BugPoint.ClientSend)] // the client's send loop
    public async Task A_bug_in_a_connection_loop_breaks_that_connection_and_every_write_still_gets_its_exact_outcome(BugPoint point)
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        var client = await temp.OpenAsync();
        await TestSchema.WriteSharedAsync(client, Row("warm")).WaitAsync(Bound);
        var bug = new Bug(point);
        (point is BugPoint.HostFrame or BugPoint.HostSend ? owner : client).Shared!.Faults = bug;

        var writes = Enumerable.Range(0, 50).Select(i => TestSchema.WriteSharedAsync(client, Row("w" + i))).ToList();
        Assert.All(await Task.WhenAll(writes).WaitAsync(Bound), changes => Assert.Equal(1, changes));
        Assert.Equal(1, bug.Thrown);

        // The connection broke and a new one serves: the client is a client again, and closing returns.
        await Eventually.TrueAsync(() => client.Shared!.IsClient, "the client to reconnect");
        Assert.Equal(1, await TestSchema.WriteSharedAsync(client, Row("after")).WaitAsync(Bound));
        await client.DisposeAsync().AsTask().WaitAsync(Bound);
        AssertEachOnce(temp, ["warm", "after", .. Enumerable.Range(0, 50).Select(i => "w" + i)]);
        Assert.Null(client.Shared!.BackgroundFault);
        Assert.Null(owner.Shared!.BackgroundFault);
    }

    [Fact]
    public async Task A_bug_in_the_clients_receive_loop_answers_every_write_and_closing_returns()
    {
        // Before: the loop caught only socket errors, so Closed never completed: every write in flight and the
        // client's CloseAsync waited forever. A reply the bug dropped may have had its record deleted already, so
        // the writes in flight are answered "unknown" (never run twice); the others exactly.
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        var client = await temp.OpenAsync();
        await TestSchema.WriteSharedAsync(client, Row("warm")).WaitAsync(Bound);
        var bug = new Bug(BugPoint.ClientFrame);
        client.Shared!.Faults = bug;

        var writes = Enumerable.Range(0, 50).Select(i => TestSchema.WriteSharedAsync(client, Row("w" + i))).ToList();
        await Task.WhenAll(writes).ContinueWith(_ => { }).WaitAsync(Bound);
        Assert.Equal(1, bug.Thrown);
        var unknown = writes.Where(w => w.IsFaulted).ToList();
        Assert.NotEmpty(unknown);
        Assert.All(unknown, w => Assert.Contains("may or may not have been stored", w.Exception!.InnerException!.Message, StringComparison.Ordinal));

        await Eventually.TrueAsync(() => client.Shared.IsClient, "the client to reconnect");
        Assert.Equal(1, await TestSchema.WriteSharedAsync(client, Row("after")).WaitAsync(Bound));
        await client.DisposeAsync().AsTask().WaitAsync(Bound);
        var counts = temp.LogCounts("shared_log");
        Assert.All(counts.Values, c => Assert.Equal(1, c));
        Assert.All(writes.Select((w, i) => (w, i)).Where(x => x.w.IsCompletedSuccessfully), x => Assert.True(counts.ContainsKey("w" + x.i)));
        Assert.Null(client.Shared.BackgroundFault);
    }

    [Fact]
    public async Task An_accept_loop_that_fails_keeps_accepting_and_the_owner_still_closes()
    {
        // Before: any error but a closing socket ended the accept loop; clients then waited out their handshakes,
        // and closing the owner rethrew the error.
        using var temp = new TempDatabase();
        var owner = await temp.OpenAsync();
        var bug = new Bug(BugPoint.Accept, times: 3);
        owner.Shared!.Faults = bug;

        // The loop waits in an accept already; a first peer takes it round to the failing ones.
        using (var first = await RawPeer.ConnectAsync(temp.Path))
        {
            await Eventually.TrueAsync(() => bug.Thrown == 3, "the accept loop to fail three times");
        }

        await using var client = await temp.OpenAsync();
        await Eventually.TrueAsync(() => client.Shared!.IsClient, "the client to be accepted after the failures");
        var host = owner.Shared.Host!;
        Assert.True(host.AcceptFailures >= 3);
        Assert.Equal(1, await TestSchema.WriteSharedAsync(client, Row("accepted")).WaitAsync(Bound));
        await owner.DisposeAsync().AsTask().WaitAsync(Bound);
        Assert.Null(host.AdmissionFault);
    }

    [Fact]
    public async Task A_bug_while_resending_a_write_in_doubt_fails_it_as_unknown_instead_of_leaving_it_waiting()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();
        await TestSchema.WriteSharedAsync(client, Row("warm")).WaitAsync(Bound);
        var connection = Assert.Single(owner.Shared!.Host!.Connections);
        var death = new OwnerDeath();
        owner.Shared.Faults = death;
        client.Shared!.Faults = new Bug(BugPoint.Resend);

        death.MuteReplies(connection);
        var write = TestSchema.WriteSharedAsync(client, Row("doubt"));
        await Eventually.TrueAsync(() => temp.LogCounts("shared_log").ContainsKey("doubt"));
        death.Sever(connection);

        // It was stored, but the resend that would have asked failed: "unknown" is the honest answer, and it comes.
        var error = await Assert.ThrowsAsync<FilixException>(() => write.WaitAsync(Bound));
        Assert.Contains("may or may not have been stored", error.Message, StringComparison.Ordinal);
        Assert.Contains("injected bug", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)] // connects fail at once (EAGAIN) instead of blocking
    [InlineData(false)] // connects succeed, the welcome never comes: the handshake times out
    public async Task An_owner_that_holds_the_lock_but_never_accepts_costs_a_timeout_not_a_hang(bool backlogFull)
    {
        // Before: the client connected with a blocking connect, inside the gate, with no timeout. Against an owner
        // whose backlog is full it never returned: the open hung, and so would have closing.
        using var temp = new TempDatabase();
        using var ownerLock = WriteLock.OpenFile(Filix.Runtime.Sqlite.DatabaseFile.OwnerFile(temp.Path), temp.Path)!;
        Assert.True(ownerLock.TryAcquire());
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SharedWriter.SocketPathFor(temp.Path)));
        listener.Listen(0);
        var fillers = backlogFull ? await FillBacklogAsync(temp.Path) : [];
        try
        {
            var db = await temp.OpenAsync().WaitAsync(Bound);
            Assert.False(db.Shared!.IsClient || db.Shared.IsOwner);
            Assert.Equal(1, await TestSchema.WriteSharedAsync(db, Row("own writer")).WaitAsync(Bound));
            await db.DisposeAsync().AsTask().WaitAsync(Bound);
            Assert.Equal(["own writer"], temp.LogCounts("shared_log").Keys);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task An_owner_closes_even_when_a_client_stopped_reading_its_replies()
    {
        // Before: closing sent the last replies with no bound, and a client that does not read (frozen, hostile)
        // kept that send, and the owner's close with it, waiting forever.
        using var temp = new TempDatabase();
        var owner = await temp.OpenAsync();
        await TestSchema.WriteSharedAsync(owner, Row("dup")).WaitAsync(Bound);
        using var peer = await RawPeer.ConnectAsync(temp.Path);
        var frames = new Filix.Runtime.Sharing.Protocol.FrameWriter(1 << 20);
        new Filix.Runtime.Sharing.Protocol.HelloFrame(Filix.Runtime.Sharing.Protocol.WireProtocol.Version, 7).Write(frames);
        new Filix.Runtime.Sharing.Protocol.StatementFrame(0, TestSchema.InsertSharedLog, 5).Write(frames);
        for (var request = 1; request <= 10_000; request++)
        {
            // Each fails on the duplicate key, so each reply carries the message: megabytes nobody reads.
            new Filix.Runtime.Sharing.Protocol.WriteFrame(request, 0, [.. TestSchema.SharedValues(Row("dup"))]).Write(frames);
        }

        var sending = peer.SendAsync(frames);
        var connection = owner.Shared!.Host!;
        await Eventually.TrueAsync(() => connection.Connections.Length == 1, "the peer to be admitted");
        await sending.WaitAsync(Bound); // the owner read every write

        await owner.DisposeAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(["dup"], temp.LogCounts("shared_log").Keys);
    }

    [Fact]
    public async Task A_client_closes_even_when_its_owner_neither_answers_nor_hangs_up()
    {
        // Before: closing waited for the owner to answer and hang up, with no bound; a frozen owner (SIGSTOP, a
        // stalled disk) held the client's close forever. Now the write in flight fails as unknown.
        using var temp = new TempDatabase();
        using var ownerLock = WriteLock.OpenFile(Filix.Runtime.Sqlite.DatabaseFile.OwnerFile(temp.Path), temp.Path)!;
        Assert.True(ownerLock.TryAcquire());
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SharedWriter.SocketPathFor(temp.Path)));
        listener.Listen(4);
        using var frozen = new CancellationTokenSource();
        var owner = FrozenOwnerAsync(listener, frozen.Token);

        var client = await temp.OpenAsync().WaitAsync(Bound);
        Assert.True(client.Shared!.IsClient);
        client.Shared.Faults = new ShortClose();
        var write = TestSchema.WriteSharedAsync(client, Row("unanswered"));

        await client.DisposeAsync().AsTask().WaitAsync(Bound);
        var error = await Assert.ThrowsAsync<FilixException>(() => write.WaitAsync(Bound));
        Assert.Contains("may or may not have been stored", error.Message, StringComparison.Ordinal);
        await frozen.CancelAsync();
        await owner;
    }

    /// <summary>Accepts, welcomes, then reads and discards everything: never answers, never hangs up (until the test ends).</summary>
    private static async Task FrozenOwnerAsync(Socket listener, CancellationToken stop)
    {
        try
        {
            using var socket = await listener.AcceptAsync(stop);
            var receiver = new Filix.Runtime.Sharing.Protocol.FrameReceiver(socket);
            await receiver.NextAsync(stop);
            var welcome = new Filix.Runtime.Sharing.Protocol.FrameWriter(16);
            new Filix.Runtime.Sharing.Protocol.WelcomeFrame(Filix.Runtime.Sharing.Protocol.WireProtocol.Version).Write(welcome);
            await socket.SendAsync(welcome.Written, SocketFlags.None, stop);
            var sink = new byte[4096];
            while (await socket.ReceiveAsync(sink, SocketFlags.None, stop) > 0)
            {
            }

            await Task.Delay(Timeout.Infinite, stop); // even the client's Closed gets no answer and no hang-up
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Acts out the frozen owner's bound in a second instead of the real 30.</summary>
    private sealed class ShortClose : SharingFaults
    {
        public override TimeSpan ClientCloseTimeout(TimeSpan normal) => TimeSpan.FromSeconds(1);
    }

    /// <summary>Connects until a connect no longer completes: the listener's backlog is full.</summary>
    private static async Task<List<Socket>> FillBacklogAsync(string databasePath)
    {
        var sockets = new List<Socket>();
        for (var i = 0; i < 64; i++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            sockets.Add(socket);
            using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(SharedWriter.SocketPathFor(databasePath)), patience.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException { SocketErrorCode: SocketError.WouldBlock or SocketError.TryAgain })
            {
                return sockets; // refused or still waiting: the backlog is full
            }
        }

        Assert.Fail("The backlog never filled.");
        return sockets;
    }

    private static void AssertEachOnce(TempDatabase temp, string[] ids)
    {
        var counts = temp.LogCounts("shared_log");
        Assert.Equal(ids.Order(), counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.Equal(1, c));
    }
}

using System.Buffers.Binary;
using Filix.Concurrency.Worker;
using Filix.Runtime.Sharing;
using Filix.Runtime.Sharing.Protocol;

namespace Filix.Concurrency.Tests.Sharing;

/// <summary>
/// A hostile or buggy peer on the owner's socket, driven by a seeded generator (set <c>FILIX_FUZZ_SEED</c> to replay
/// a failure): random bytes, frames cut short, huge or negative length prefixes, another version, unknown kinds,
/// frames out of order, mutated writes. Each is answered with a hang-up, never a hang; what it sent whole before the
/// garbage is answered; a frame cut short is never run; nothing is allocated for a length merely claimed; and the
/// owner's honest client writes on throughout.
/// </summary>
public sealed class HostileClientTests
{
    /// <summary>Only catches hangs; an owner hangs up on garbage in milliseconds.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static TestSchema.Row Row(string id) => new(id, "p", 0, 0);

    [Fact]
    public async Task Fuzzed_frames_are_answered_with_a_hang_up_never_a_hang_and_the_owner_serves_on()
    {
        var seed = FuzzSeed.Get(4242);
        var random = new Random(seed);
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();
        Assert.True(client.Shared!.IsClient);
        var mustNotStore = new List<string>();

        for (var round = 0; round < 250; round++)
        {
            var hostile = Next(random, round);
            var what = $"{hostile.What} (seed {seed}, round {round})";
            using var peer = await RawPeer.ConnectAsync(temp.Path);
            await peer.SendAsync(hostile.Bytes);
            if (hostile.ClaimsLength is { } claimed)
            {
                // A prefix claiming a huge frame, and a little of it: the owner waits for the rest (a slow client is
                // no protocol error) but allocates nothing for what it was only told.
                var connection = await ConnectionAsync(owner.Shared!, hostile.Client);
                await Eventually.TrueAsync(() => connection.ReceivedUnread == hostile.Bytes.Length - hostile.HelloBytes, "the partial frame to arrive");
                Assert.True(connection.ReceiveCapacity <= 64 << 10, $"{connection.ReceiveCapacity} bytes allocated for a frame claiming {claimed}: {what}");
            }

            if (hostile.EndSending)
            {
                peer.EndSending();
            }

            var answers = await peer.ReadUntilHangUpAsync(Bound, what);
            Assert.All(answers, a => Assert.Contains(a.Kind, new[] { FrameKind.Welcome, FrameKind.Done, FrameKind.Failed }));
            Assert.Equal(hostile.ExpectWelcome, answers.Count > 0 && answers[0].Kind == FrameKind.Welcome);
            if (hostile.WholeWrites is { } whole)
            {
                Assert.True(whole == answers.Count(a => a.Kind == FrameKind.Done), $"{whole} whole writes, {answers.Count(a => a.Kind == FrameKind.Done)} answered: {what}");
            }

            mustNotStore.AddRange(hostile.MustNotStore);
            if (round % 50 == 0)
            {
                Assert.Equal(1, await TestSchema.WriteSharedAsync(client, Row("honest" + round)).WaitAsync(Bound));
            }
        }

        var stored = temp.LogCounts("shared_log");
        Assert.All(mustNotStore, id => Assert.False(stored.ContainsKey(id), $"{id} was cut short but stored (seed {seed})"));
        Assert.All(stored.Values, count => Assert.Equal(1, count));
        await Eventually.TrueAsync(() => owner.Shared!.HostClientCount == 1, "the owner to forget every hostile connection");
        Assert.Null(owner.Shared!.Host!.AdmissionFault);
        await owner.DisposeAsync().AsTask().WaitAsync(Bound);
    }

    [Fact]
    public async Task A_client_defining_statements_past_the_limit_is_hung_up_on()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        using var peer = await RawPeer.ConnectAsync(temp.Path);
        var frames = new FrameWriter(256 << 10);
        new HelloFrame(WireProtocol.Version, 99).Write(frames);
        for (var id = 0; id <= WireProtocol.MaxStatements; id++)
        {
            new StatementFrame(id, $"INSERT INTO shared_log (id) VALUES ('{id}')", 0).Write(frames);
        }

        await peer.SendAsync(frames);
        var answers = await peer.ReadUntilHangUpAsync(Bound, $"{WireProtocol.MaxStatements + 1} statements");
        Assert.Equal([FrameKind.Welcome], answers.Select(a => a.Kind));
    }

    [Fact]
    public async Task A_write_too_large_for_a_frame_goes_through_the_clients_own_writer()
    {
        using var temp = new TempDatabase();
        await using var owner = await temp.OpenAsync();
        await using var client = await temp.OpenAsync();
        Assert.True(client.Shared!.IsClient);
        var payload = new string('é', WireProtocol.MaxFrame / 2); // 64 MiB of UTF-8: the frame would pass the limit

        Assert.Equal(1, await client.ExecuteAsync(TestSchema.InsertSharedLog, 5, ["big", "p", 0L, 0L, payload]).WaitAsync(Bound));

        Assert.Equal(1, client.Writer.Batches); // its own writer, under the lock handoff: the owner never saw it
        Assert.Equal(["big"], temp.LogCounts("shared_log").Keys);
        Assert.True(client.Shared.IsClient);
    }

    private static async Task<HostConnection> ConnectionAsync(SharedWriter owner, long client)
    {
        HostConnection? connection = null;
        await Eventually.TrueAsync(() => (connection = owner.Host!.Connections.FirstOrDefault(c => c.ClientId == client)) is not null, "the hostile client's connection");
        return connection!;
    }

    private sealed record Hostile(string What, byte[] Bytes, bool EndSending, bool ExpectWelcome, long Client)
    {
        public int? WholeWrites { get; init; }

        public string[] MustNotStore { get; init; } = [];

        public int? ClaimsLength { get; init; }

        public int HelloBytes { get; init; }
    }

    private static Hostile Next(Random random, int round)
    {
        var client = random.NextInt64(1, long.MaxValue);
        var frames = new FrameWriter(256);
        new HelloFrame(WireProtocol.Version, client).Write(frames);
        var helloBytes = frames.Written.Length;
        new StatementFrame(0, TestSchema.InsertSharedLog, 5).Write(frames);
        byte[] Bytes(params byte[][] tail) => [.. frames.Written.ToArray(), .. tail.SelectMany(t => t)];

        switch (random.Next(9))
        {
            case 0:
                // Not even a hello. A random prefix may claim a frame still to come, so this peer ends its stream.
                return new("random bytes", FrameCodecTests.RandomBytes(random, random.Next(1, 200)), EndSending: true, ExpectWelcome: false, client);
            case 1:
                return new("a hello, then random bytes", Bytes(FrameCodecTests.RandomBytes(random, random.Next(1, 200))), EndSending: true, ExpectWelcome: true, client);
            case 2:
            {
                // Whole writes, then one cut short by a hang-up: the whole ones are answered, the cut one never runs.
                var whole = random.Next(0, 4);
                for (var i = 0; i < whole; i++)
                {
                    new WriteFrame(i + 1, 0, [.. TestSchema.SharedValues(Row($"fz{round}-{i}"))]).Write(frames);
                }

                var cut = new FrameWriter(128);
                new WriteFrame(whole + 1, 0, [.. TestSchema.SharedValues(Row($"fz{round}-cut"))]).Write(cut);
                var partial = cut.Written[..random.Next(1, cut.Written.Length)].ToArray();
                return new($"{whole} writes and one cut after {partial.Length} bytes", Bytes(partial), EndSending: true, ExpectWelcome: true, client)
                {
                    WholeWrites = whole,
                    MustNotStore = [$"fz{round}-cut"],
                };
            }

            case 3:
            {
                int[] lengths = [0, -1, int.MinValue, WireProtocol.MaxFrame + 1, int.MaxValue, random.Next(int.MinValue, 0), random.Next(WireProtocol.MaxFrame + 1, int.MaxValue)];
                var length = lengths[random.Next(lengths.Length)];
                var prefix = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(prefix, length);
                return new($"a length prefix of {length}", Bytes(prefix, FrameCodecTests.RandomBytes(random, random.Next(0, 32))), EndSending: false, ExpectWelcome: true, client);
            }

            case 4:
            {
                var length = random.Next(1 << 20, WireProtocol.MaxFrame + 1);
                var prefix = new byte[5];
                BinaryPrimitives.WriteInt32LittleEndian(prefix, length);
                prefix[4] = (byte)FrameKind.Write;
                var bytes = Bytes(prefix, FrameCodecTests.RandomBytes(random, random.Next(0, 100)));
                return new($"a frame claiming {length} bytes, and a few of them", bytes, EndSending: true, ExpectWelcome: true, client)
                {
                    ClaimsLength = length,
                    HelloBytes = helloBytes + (frames.Written.Length - helloBytes), // the hello and the statement are read whole
                };
            }

            case 5:
            {
                var version = random.Next(2) == 0 ? WireProtocol.Version + 1 + random.Next(100) : random.Next(int.MinValue, WireProtocol.Version);
                var hello = new FrameWriter(32);
                hello.Begin(FrameKind.Hello).Int32(version).Int64(client).End();
                return new($"a hello of version {version}", hello.Written.ToArray(), EndSending: false, ExpectWelcome: false, client);
            }

            case 6:
            {
                // A kind no client sends: unknown, or one only an owner sends.
                byte[] kinds = [0, 10, 77, 255, (byte)FrameKind.Welcome, (byte)FrameKind.Done, (byte)FrameKind.Failed, (byte)FrameKind.Closing, (byte)FrameKind.Hello];
                var kind = kinds[random.Next(kinds.Length)];
                var frame = new FrameWriter(64);
                frame.Begin((FrameKind)kind).Int64(random.NextInt64()).Int32(random.Next()).End();
                return new($"a frame of kind {kind} after the hello", Bytes(frame.Written.ToArray()), EndSending: false, ExpectWelcome: true, client);
            }

            case 7:
            {
                // A write with a byte of its payload flipped: it may still parse (as another write), or not.
                var write = new FrameWriter(128);
                new WriteFrame(1, 0, [.. TestSchema.SharedValues(Row($"fz{round}-m"))]).Write(write);
                var bytes = write.Written.ToArray();
                bytes[random.Next(5, bytes.Length)] ^= (byte)(1 << random.Next(8));
                return new("a write with a byte flipped", Bytes(bytes), EndSending: true, ExpectWelcome: true, client);
            }

            default:
            {
                // Frames out of order: a write before its statement, statement ids out of sequence, an empty retry.
                var frame = new FrameWriter(256);
                switch (random.Next(3))
                {
                    case 0:
                        frame.Begin(FrameKind.Write).Int64(1).Int32(5).Int32(0).End();
                        break;
                    case 1:
                        new StatementFrame(3, "INSERT INTO x VALUES (1)", 0).Write(frame);
                        break;
                    default:
                        frame.Begin(FrameKind.Retry).Int64(1).Int32(0).Int32(0).Int32(0).End();
                        break;
                }

                return new("frames out of order", Bytes(frame.Written.ToArray()), EndSending: false, ExpectWelcome: true, client);
            }
        }
    }
}

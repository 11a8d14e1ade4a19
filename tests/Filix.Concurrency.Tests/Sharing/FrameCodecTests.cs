using Filix.Runtime.Sharing;
using Filix.Runtime.Sharing.Protocol;

namespace Filix.Concurrency.Tests.Sharing;

/// <summary>Each frame type written and read back through the codec (<c>Sharing/Protocol</c>), its envelope
/// included, and every decoder fed random and mutated payloads.</summary>
public sealed class FrameCodecTests
{
    private static readonly object?[] EveryForm =
        [null, 0L, long.MinValue, long.MaxValue, 0.0, -0.0, double.NaN, 1.5e300, "", "text ✓ 😀", Array.Empty<byte>(), new byte[] { 0, 1, 255 }];

    [Fact]
    public void Hello_round_trips()
    {
        var frame = new HelloFrame(WireProtocol.Version, -42);
        Assert.Equal(frame, HelloFrame.Read(RoundTrip(FrameKind.Hello, frame.Write)));
    }

    [Fact]
    public void A_hello_of_another_version_is_read_no_further_than_its_version()
    {
        var frames = new FrameWriter(32);
        frames.Begin(FrameKind.Hello).Int32(WireProtocol.Version + 1).String("a layout this build does not know").End();
        Assert.Equal(new HelloFrame(WireProtocol.Version + 1, 0), HelloFrame.Read(Payload(frames)));
    }

    [Fact]
    public void Welcome_round_trips()
    {
        var frame = new WelcomeFrame(WireProtocol.Version);
        Assert.Equal(frame, WelcomeFrame.Read(RoundTrip(FrameKind.Welcome, frame.Write)));
    }

    [Fact]
    public void Statement_round_trips()
    {
        var frame = new StatementFrame(7, "INSERT INTO \"t ✓\" VALUES ($p0, $p1)", 2);
        Assert.Equal(frame, StatementFrame.Read(RoundTrip(FrameKind.Statement, frame.Write)));
    }

    [Fact]
    public void Write_round_trips_every_stored_form()
    {
        var frame = new WriteFrame(long.MaxValue, 3, EveryForm);
        var read = WriteFrame.Read(RoundTrip(FrameKind.Write, frame.Write));
        Assert.Equal((frame.Request, frame.Statement), (read.Request, read.Statement));
        Assert.Equal(EveryForm, read.Values);
    }

    [Fact]
    public void Retry_round_trips_its_earlier_sendings()
    {
        var frame = new RetryFrame(9, [new Sending(-1, 1), new Sending(long.MaxValue, 77)], 0, ["a", 1L]);
        var read = RetryFrame.Read(RoundTrip(FrameKind.Retry, frame.Write));
        Assert.Equal((frame.Request, frame.Statement), (read.Request, read.Statement));
        Assert.Equal(frame.Earlier, read.Earlier);
        Assert.Equal(frame.Values, read.Values);
    }

    [Fact]
    public void Done_round_trips()
    {
        var frame = new DoneFrame(12, 300);
        Assert.Equal(frame, DoneFrame.Read(RoundTrip(FrameKind.Done, frame.Write)));
    }

    [Fact]
    public void Failed_round_trips_the_sqlite_codes_and_message()
    {
        var frame = new FailedFrame(13, new RemoteFailure(19, 2067, "UNIQUE constraint failed: t.id ✓"));
        Assert.Equal(frame, FailedFrame.Read(RoundTrip(FrameKind.Failed, frame.Write)));
    }

    [Fact]
    public void Closing_and_Closed_round_trip_and_carry_nothing()
    {
        Assert.Empty(RoundTrip(FrameKind.Closing, new ClosingFrame().Write));
        Assert.Empty(RoundTrip(FrameKind.Closed, new ClosedFrame().Write));
        Assert.Throws<InvalidDataException>(() => ClosedFrame.Read([0]));
    }

    [Fact]
    public void A_write_too_large_for_a_frame_is_recognised_before_it_is_encoded()
    {
        Assert.True(WriteFrame.Fits(EveryForm));
        Assert.True(WriteFrame.Fits([new string('x', WireProtocol.MaxFrame / 3 - 100_000)])); // the 3-bytes-a-char bound is not the answer
        Assert.False(WriteFrame.Fits([new byte[WireProtocol.MaxFrame]]));
        Assert.False(WriteFrame.Fits([new string('é', WireProtocol.MaxFrame / 2)])); // 2 UTF-8 bytes each
    }

    [Fact]
    public void Length_prefixes_out_of_range_are_refused_before_anything_is_read()
    {
        foreach (var length in new[] { 0, -1, int.MinValue, WireProtocol.MaxFrame + 1, int.MaxValue })
        {
            var bytes = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
            Assert.Throws<InvalidDataException>(() => FrameReceiver.TryParse(bytes, out _, out _));
        }
    }

    /// <summary>A hostile or buggy peer's payloads: random bytes, and valid payloads truncated, extended, with a
    /// byte flipped or a count replaced by a huge or negative one. Each decoder returns or throws
    /// <see cref="InvalidDataException"/>, nothing else, and allocates in proportion to the bytes it was given.</summary>
    [Fact]
    public void Every_decoder_refuses_random_and_mutated_payloads_with_InvalidDataException_only_and_allocates_only_what_it_reads()
    {
        var seed = FuzzSeed.Get(20261202);
        var random = new Random(seed);
        var decoders = new (string Name, byte[] Valid, Func<byte[], object> Read)[]
        {
            ("Hello", RoundTrip(FrameKind.Hello, new HelloFrame(WireProtocol.Version, 5).Write), p => HelloFrame.Read(p)),
            ("Welcome", RoundTrip(FrameKind.Welcome, new WelcomeFrame(WireProtocol.Version).Write), p => WelcomeFrame.Read(p)),
            ("Statement", RoundTrip(FrameKind.Statement, new StatementFrame(0, "INSERT INTO t VALUES ($p0)", 1).Write), p => StatementFrame.Read(p)),
            ("Write", RoundTrip(FrameKind.Write, new WriteFrame(1, 0, EveryForm).Write), p => WriteFrame.Read(p)),
            ("Retry", RoundTrip(FrameKind.Retry, new RetryFrame(2, [new Sending(1, 1)], 0, EveryForm).Write), p => RetryFrame.Read(p)),
            ("Done", RoundTrip(FrameKind.Done, new DoneFrame(1, 1).Write), p => DoneFrame.Read(p)),
            ("Failed", RoundTrip(FrameKind.Failed, new FailedFrame(1, new RemoteFailure(1, 2, "m")).Write), p => FailedFrame.Read(p)),
            ("Closing", RoundTrip(FrameKind.Closing, new ClosingFrame().Write), p => ClosingFrame.Read(p)),
            ("Closed", RoundTrip(FrameKind.Closed, new ClosedFrame().Write), p => ClosedFrame.Read(p)),
        };

        var refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var (name, valid, read) = decoders[random.Next(decoders.Length)];
            var payload = Mutate(random, valid);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read(payload);
            }
            catch (InvalidDataException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{name}.Read threw {ex.GetType().Name} on [{Convert.ToHexString(payload)}] (seed {seed}, case {i}): {ex.Message}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < (64L * payload.Length) + (64 << 10), $"{name}.Read allocated {allocated} bytes for a payload of {payload.Length} (seed {seed}, case {i}).");
        }

        Assert.True(refused > 1000, $"only {refused} of 20,000 mutated payloads were refused: the fuzzing does not reach the checks");
    }

    /// <summary>A variation of <paramref name="valid"/> (or plain random bytes) such as a broken or hostile peer sends.</summary>
    internal static byte[] Mutate(Random random, byte[] valid)
    {
        switch (random.Next(6))
        {
            case 0:
                return RandomBytes(random, random.Next(0, 64));
            case 1:
                return valid[..random.Next(0, valid.Length + 1)];
            case 2:
                return [.. valid, .. RandomBytes(random, random.Next(1, 16))];
            case 3 when valid.Length >= 4:
                var huge = (byte[])valid.Clone();
                var at = random.Next(0, valid.Length - 3);
                int[] counts = [-1, int.MinValue, int.MaxValue, 1 << 30, valid.Length, random.Next()];
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(at), counts[random.Next(counts.Length)]);
                return huge;
            default:
                var flipped = (byte[])valid.Clone();
                if (flipped.Length > 0)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }

                return flipped;
        }
    }

    internal static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes one frame, checks its envelope (one whole frame, of the kind written; no proper prefix of it
    /// parses as a frame) and returns its payload.</summary>
    private static byte[] RoundTrip(FrameKind expected, Action<FrameWriter> write)
    {
        var frames = new FrameWriter(64);
        write(frames);
        var bytes = frames.Written.ToArray();
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.False(FrameReceiver.TryParse(bytes.AsSpan(0, cut), out _, out _), $"a prefix of {cut} bytes parsed as a frame");
        }

        Assert.True(FrameReceiver.TryParse(bytes, out var kind, out var length));
        Assert.Equal(expected, kind);
        Assert.Equal(bytes.Length, 4 + length);
        return bytes[5..];
    }

    private static byte[] Payload(FrameWriter frames) => frames.Written[5..].ToArray();
}

using System.Net.Sockets;
using Filix.Runtime.Sharing;
using Filix.Runtime.Sharing.Protocol;

namespace Filix.Concurrency.Tests.Sharing;

/// <summary>A hand-driven connection to an owner: sends whatever bytes a test makes (through the codec or not) and
/// reads the owner's answers through the codec, never by byte offsets.</summary>
internal sealed class RawPeer : IDisposable
{
    private readonly Socket _socket;
    private readonly FrameReceiver _receiver;

    private RawPeer(Socket socket)
    {
        _socket = socket;
        _receiver = new FrameReceiver(socket);
    }

    public static async Task<RawPeer> ConnectAsync(string databasePath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SharedWriter.SocketPathFor(databasePath)));
        return new RawPeer(socket);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None);
        }
        catch (SocketException)
        {
            // The owner hung up already (it may do so before reading everything): what it answered is still readable.
        }
    }

    public Task SendAsync(FrameWriter frames) => SendAsync(frames.Written);

    /// <summary>No more bytes from this side (a client that stops mid-stream).</summary>
    public void EndSending()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>Every frame the owner sends until it hangs up; fails the test (naming <paramref name="what"/>) if it
    /// has not hung up within <paramref name="bound"/> (a bound that only catches hangs).</summary>
    public async Task<List<(FrameKind Kind, byte[] Payload)>> ReadUntilHangUpAsync(TimeSpan bound, string what)
    {
        var frames = new List<(FrameKind, byte[])>();
        using var patience = new CancellationTokenSource(bound);
        try
        {
            while (true)
            {
                while (_receiver.TryNext(out var kind, out var payload))
                {
                    frames.Add((kind, payload.ToArray()));
                }

                if (!await _receiver.FillAsync(patience.Token))
                {
                    return frames;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The owner did not hang up within {bound} on: {what}");
            throw;
        }
        catch (SocketException)
        {
            return frames; // reset by the owner: a hang-up too
        }
    }

    /// <summary>The next <paramref name="count"/> frames (the connection stays open).</summary>
    public async Task<List<(FrameKind Kind, byte[] Payload)>> ReadAsync(int count, TimeSpan bound)
    {
        var frames = new List<(FrameKind, byte[])>();
        using var patience = new CancellationTokenSource(bound);
        while (frames.Count < count)
        {
            var (received, kind, payload) = await _receiver.NextAsync(patience.Token);
            Assert.True(received, $"The owner hung up after {frames.Count} of {count} frames.");
            frames.Add((kind, payload.ToArray()));
        }

        return frames;
    }

    public void Dispose() => _socket.Dispose();
}

namespace Filix.Runtime.Sharing.Protocol;

/// <summary>
/// The protocol processes speak over a database's writer socket: its version, its limits and its frame kinds, in
/// one place. Every frame is <c>[int32 length of the rest][byte kind][payload]</c>, little-endian; strings are
/// <c>[int32 byte count][UTF-8]</c>. Each kind has one type with its write and read side by side
/// (<c>*Frame.cs</c> in this folder); client and owner use only those.
/// </summary>
/// <remarks>
/// Anything that does not parse (a length out of range, an unknown kind, a payload shorter or longer than its
/// layout, a value count beyond the bytes that carry it) throws <see cref="InvalidDataException"/> before anything
/// is allocated for it, and the side that read it hangs up. No claimed length is allocated ahead of the bytes that
/// fill it (<see cref="FrameReceiver"/>).
/// </remarks>
internal static class WireProtocol
{
    /// <summary>Bumped on any change of a frame's layout or meaning. A client of another version gets no
    /// <see cref="FrameKind.Welcome"/> and writes through its own process's writer.</summary>
    public const int Version = 2;

    /// <summary>The largest frame (kind and payload) either side accepts. A client sends a write that would not fit
    /// through its own process's writer instead (<see cref="WriteFrame.Fits"/>), so no honest frame comes near it.</summary>
    public const int MaxFrame = 64 << 20;

    /// <summary>Statements one connection may define (ids 0, 1, 2, ... in order); a client past it writes new
    /// statements through its own process's writer.</summary>
    public const int MaxStatements = 4096;

    /// <summary>UTF-8 bytes of SQL one connection may define in all: with <see cref="MaxStatements"/>, what bounds an
    /// owner's memory per client.</summary>
    public const int MaxStatementBytes = 16 << 20;
}

/// <summary>What a frame is; the layouts are in the frame types named after each.</summary>
internal enum FrameKind : byte
{
    /// <summary>Client → owner, first frame (<see cref="HelloFrame"/>).</summary>
    Hello = 1,

    /// <summary>Owner → client: the hello was accepted (<see cref="WelcomeFrame"/>).</summary>
    Welcome = 2,

    /// <summary>Client → owner: a statement later writes name by number (<see cref="StatementFrame"/>).</summary>
    Statement = 3,

    /// <summary>Client → owner: one write (<see cref="WriteFrame"/>).</summary>
    Write = 4,

    /// <summary>Owner → client: the write's batch committed (<see cref="DoneFrame"/>).</summary>
    Done = 5,

    /// <summary>Owner → client: nothing of the write was stored (<see cref="FailedFrame"/>).</summary>
    Failed = 6,

    /// <summary>Owner → client: the owner is closing; send nothing more and answer <see cref="Closed"/> (<see cref="ClosingFrame"/>).</summary>
    Closing = 7,

    /// <summary>Client → owner: nothing follows; every write this client sent is ahead of this frame (<see cref="ClosedFrame"/>).</summary>
    Closed = 8,

    /// <summary>Client → owner: a write sent before on connections that broke unanswered, stored only if none of
    /// those sendings was (<see cref="RetryFrame"/>). Answered as a <see cref="Write"/>.</summary>
    Retry = 9,
}

/// <summary>The tag before each value of a write: the five stored forms.</summary>
internal enum ValueTag : byte
{
    Null = 0,
    Integer = 1,
    Real = 2,
    Text = 3,
    Blob = 4,
}

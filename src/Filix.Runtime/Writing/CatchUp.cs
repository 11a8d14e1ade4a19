namespace Filix.Runtime.Writing;

/// <summary>What the background checkpoint does after a pass.</summary>
internal enum CatchUpStep
{
    /// <summary>Sleep the interval: the WAL is small, or a reader's snapshot keeps frames from being copied.</summary>
    Wait,

    /// <summary>Pass again at once: each pass copies what the writer appended during the one before.</summary>
    PassAgain,

    /// <summary>Close enough: offer the writer the last few frames, so its next transaction restarts the WAL.</summary>
    OfferToWriter,
}

/// <summary>
/// Decides, pass after pass, when the background checkpoint has caught up with the writer (see <see cref="Checkpointer"/>).
/// Each back-to-back pass copies what was appended during the previous one, so at a given write rate the amounts
/// shrink geometrically while the checkpoint is faster than the writer; they stop shrinking when it is not.
/// </summary>
internal struct CatchUp
{
    /// <summary>WAL size (pages) from which passes run back to back: 2,000 pages, 8 MiB at the default page size.</summary>
    public const long RestartFrames = 2000;

    /// <summary>A pass that copied at most this many frames leaves the writer about as few to copy itself.</summary>
    public const long FinalFrames = 400;

    /// <summary>Back-to-back passes after which the writer takes what is left, whatever the amount.</summary>
    public const int MaxPasses = 8;

    private long _copiedBefore;
    private long _copiedLastPass;
    private int _passes;

    /// <summary>The step after a pass that found <paramref name="walFrames"/> frames and has copied
    /// <paramref name="copied"/> of them (both as <c>PRAGMA wal_checkpoint</c> reports them).</summary>
    public CatchUpStep After(long walFrames, long copied)
    {
        // Fewer copied than before means the WAL restarted since: everything copied is new.
        var copiedNow = copied >= _copiedBefore ? copied - _copiedBefore : copied;
        _copiedBefore = copied;
        if (walFrames < RestartFrames || copied < walFrames)
        {
            _passes = 0;
            return CatchUpStep.Wait;
        }

        var stalled = _passes > 0 && copiedNow > _copiedLastPass / 5 * 4;
        _passes++;
        _copiedLastPass = copiedNow;
        if (copiedNow <= FinalFrames || stalled || _passes >= MaxPasses)
        {
            this = default; // the writer's checkpoint restarts the WAL; count afresh
            return CatchUpStep.OfferToWriter;
        }

        return CatchUpStep.PassAgain;
    }

    /// <summary>A pass could not run (the lock was busy, an I/O error): start over at the next interval.</summary>
    public void Failed() => _passes = 0;
}

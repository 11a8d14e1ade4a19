using Filix.Runtime.Writing;

namespace Filix.Concurrency.Tests;

/// <summary>When the background checkpoint hands the last frames to the writer so the WAL can restart.</summary>
public sealed class CatchUpTests
{
    [Fact]
    public void A_small_wal_waits_for_the_next_interval()
    {
        var catchUp = default(CatchUp);
        Assert.Equal(CatchUpStep.Wait, catchUp.After(CatchUp.RestartFrames - 1, CatchUp.RestartFrames - 1));
    }

    [Fact]
    public void Passes_run_back_to_back_until_one_copies_few_frames_then_the_writer_is_offered_the_rest()
    {
        var catchUp = default(CatchUp);
        Assert.Equal(CatchUpStep.PassAgain, catchUp.After(6000, 6000)); // an interval's frames
        Assert.Equal(CatchUpStep.PassAgain, catchUp.After(9000, 9000)); // 3,000 appended during that pass
        Assert.Equal(CatchUpStep.PassAgain, catchUp.After(10500, 10500)); // 1,500
        Assert.Equal(CatchUpStep.OfferToWriter, catchUp.After(10800, 10800)); // 300: few enough
    }

    [Fact]
    public void Passes_that_stop_shrinking_offer_the_writer_what_is_left()
    {
        var catchUp = default(CatchUp);
        Assert.Equal(CatchUpStep.PassAgain, catchUp.After(6000, 6000));
        Assert.Equal(CatchUpStep.PassAgain, catchUp.After(7000, 7000)); // 1,000
        Assert.Equal(CatchUpStep.OfferToWriter, catchUp.After(7900, 7900)); // 900: the writer is as fast as the checkpoint
    }

    [Fact]
    public void Slowly_shrinking_passes_end_after_the_maximum_number()
    {
        var catchUp = default(CatchUp);
        long wal = 0;
        long appended = 20000;
        for (var pass = 1; pass < CatchUp.MaxPasses; pass++)
        {
            wal += appended;
            Assert.Equal(CatchUpStep.PassAgain, catchUp.After(wal, wal));
            appended = appended * 3 / 4; // shrinking, but never below FinalFrames within MaxPasses
        }

        wal += appended;
        Assert.True(appended > CatchUp.FinalFrames);
        Assert.Equal(CatchUpStep.OfferToWriter, catchUp.After(wal, wal));
    }

    [Fact]
    public void Frames_a_reader_still_needs_cannot_be_copied_so_the_passes_wait()
    {
        var catchUp = default(CatchUp);
        Assert.Equal(CatchUpStep.Wait, catchUp.After(8000, 5000));
    }

    [Fact]
    public void After_the_wal_restarted_the_frames_count_afresh()
    {
        var catchUp = default(CatchUp);
        Assert.Equal(CatchUpStep.PassAgain, catchUp.After(6000, 6000));
        Assert.Equal(CatchUpStep.OfferToWriter, catchUp.After(6300, 6300));

        // The writer copied the rest and restarted the WAL: 2,500 new frames are all new, not 2,500 - 6,300.
        Assert.Equal(CatchUpStep.PassAgain, catchUp.After(2500, 2500));
        Assert.Equal(CatchUpStep.OfferToWriter, catchUp.After(2700, 2700));
    }
}

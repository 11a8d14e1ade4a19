using Filix.Domains.Entities;
using Filix.Runtime.Sync.Local;
using Filix.Testing;

namespace Filix.Sync.Tests.Capture;

/// <summary>Filix's writer folds the capture log at the end of a transaction once it holds
/// <see cref="CommitFold.Threshold"/> captures (outside every savepoint, where the fold is cheap): every capture
/// lands in <c>_filix_rows</c> exactly as the triggers recorded it, and nothing is folded before that.</summary>
public sealed class CommitFoldTests
{
    private static Entity Person(string id) => new() { Id = id, Type = "person", Name = "N " + id };

    [Fact]
    public async Task The_writer_folds_the_log_at_commit_once_it_reaches_the_threshold_and_every_capture_is_kept()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("entities.db");
        await using var db = await EntitiesDatabase.OpenAsync(path);
        const int Below = CommitFold.Threshold - 3;
        await db.Entities.InsertManyAsync(Enumerable.Range(0, Below).Select(i => Person("p" + i)));
        await db.Entities.UpdateAsync(Person("p0") with { Name = "again" });

        // Below the threshold: everything still waits in the log.
        Assert.Equal((long)Below + 1, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_log"));
        Assert.Equal(0L, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_rows"));
        var before = CaptureDb.Entries(path, "entities");

        // Two single writes in one awaited call each: the second reaches the threshold, its commit folds.
        await db.Entities.InsertAsync(Person("last"));
        Assert.Equal((long)Below + 2, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_log"));
        await db.Events.InsertAsync(new Event { EntityId = "last", Role = "r", RoleType = "tag" });

        Assert.Equal(0L, CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_log"));
        var after = CaptureDb.Entries(path, "entities");
        Assert.Equal(before, after.Where(e => e.Key != """["last"]"""));
        Assert.Equal(Below + 1, after.Count);
        Assert.True(after.Single(e => e.Key == """["p0"]""").Hlc > after.Single(e => e.Key == """["p1"]""").Hlc);
        Assert.Equal(Below + 2, (int)(long)CaptureDb.Scalar(path, "SELECT count(*) FROM _filix_rows")!);
        Assert.NotNull(CaptureDb.Entry(path, "events", """["last","r","tag"]"""));
    }
}

using Filix.Domains.Entities;
using Filix.Runtime.Sync.Engine;
using Filix.Testing;

namespace Filix.Sync.Tests.Capture;

/// <summary>A push that finds nothing pending moves its cursor past the versions the database holds; it must never
/// pass a capture still waiting in the log to be folded.</summary>
public sealed class DrainedCursorTests
{
    [Fact]
    public async Task A_drained_cursor_stops_below_the_first_unfolded_capture()
    {
        using var folder = TempDirectory.Create("drained");
        var path = Path.Combine(folder.Path, "entities.db");
        await using (await EntitiesDatabase.OpenAsync(path))
        {
        }

        // A pulled version far ahead, folded; then a local capture below it still in the log (the order a re-versioning
        // write between a fold and the push's read could leave).
        CaptureDb.Execute(path, """INSERT INTO "_filix_rows" VALUES ('entities', '["far"]', 9000000, 'other', 0)""");
        CaptureDb.Execute(path, """INSERT INTO "_filix_log" VALUES ('entities', '["near"]', 5000, 0)""");
        Assert.Equal(4999L, CaptureDb.Scalar(path, LocalSql.DrainedVersion));

        CaptureDb.Execute(path, """DELETE FROM "_filix_log" """);
        Assert.Equal(9000000L, CaptureDb.Scalar(path, LocalSql.DrainedVersion));
    }
}

using Filix.Testing;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// SIGKILL in the middle of <c>PRAGMA wal_checkpoint(TRUNCATE)</c> copying a large WAL into the database file: the
/// file is then half old pages, half new, and only the WAL (which a checkpoint never changes before it is done)
/// makes it whole again. The next open must find every acknowledged write and a file that passes integrity_check.
/// </summary>
public sealed class CheckpointKillTests(ITestOutputHelper output)
{
    /// <summary>6 writes of 2,000 rows of 1 KiB: about 15 MB of WAL for the checkpoint to copy.</summary>
    private static readonly string[] Size = ["6", "2000"];

    [Fact]
    public async Task A_checkpoint_killed_midway_loses_no_acknowledged_write()
    {
        var seed = TortureSeed.Next(output, "checkpoint kills");
        var random = new Random(seed);
        using var folder = TempDirectory.Create("torture-checkpoint");
        var path = folder.File("torture.db");
        var children = new List<TortureChild>();

        TortureChild Spawn(string name)
        {
            var acks = folder.File(name + ".acks");
            var child = TortureChild.Start(name, acks, ["checkpoint", path, acks, name, .. Size]);
            children.Add(child);
            return child;
        }

        var phase = await MidPhase.CalibrateAsync(Spawn("calibrate"), "checkpointed");
        output.WriteLine($"a full checkpoint took {phase} ms");
        var inside = await MidPhase.KillInsideAsync(random, phase, wanted: 3, "checkpoint", "checkpointed", attempt => Spawn("k" + attempt), (child, landed) =>
        {
            output.WriteLine($"{child.Name}: killed {(landed ? "inside" : "after")} the checkpoint; {child.Acked().Count} acknowledged rows");
            Survivors.Check(path, children, $"seed {seed}, {child.Name}");
            return Task.CompletedTask;
        });

        await Survivors.CheckAfterAllDeadAsync(path, children, $"seed {seed}, end");
        Assert.True(inside > 0, $"No kill landed inside a checkpoint (each took about {phase} ms); every kill was still checked.");
        children.ForEach(c => c.Dispose());
    }
}

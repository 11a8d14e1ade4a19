using Filix.Runtime.Sharing.Protocol;
using Xunit.Abstractions;

namespace Filix.Concurrency.Tests.Sharing;

/// <summary>
/// The shared writer under chaos, with real processes: an owner whose disk fills (RLIMIT_FSIZE), owners and clients
/// SIGKILLed at moments drawn from a seeded generator (<c>FILIX_FUZZ_SEED</c> replays a run), client connections cut
/// mid-frame inside the workers, and a hostile peer cutting frames on the socket. Every caller gets an answer
/// (stored, failed, or refused) within a bound that only catches hangs, and the outcomes are exact: every
/// acknowledged write stored once, every failed one not at all, none stored twice, none left unknown.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper log)
{
    /// <summary>The owner's files may not grow past this: a few hundred writes fill its WAL.</summary>
    private const long DiskKib = 768;

    [Fact]
    public async Task Killed_owners_and_clients_cut_frames_and_a_full_disk_leave_every_caller_answered_and_every_outcome_exact()
    {
        var seed = FuzzSeed.Get(1202);
        var random = new Random(seed);
        using var temp = new TempDatabase();
        var all = new List<WorkerProcess>();
        var live = new List<WorkerProcess>();
        var kills = new List<string>();
        try
        {
            WorkerProcess Start(bool fullDisk = false)
            {
                string[] args = ["serve", temp.Path, "w" + all.Count, "4", "normal", "shared", $"chaos={random.Next()}"];
                var worker = fullDisk ? WorkerProcess.StartWithFileSizeLimit(DiskKib, args) : WorkerProcess.Start(args);
                all.Add(worker);
                live.Add(worker);
                return worker;
            }

            void Kill(WorkerProcess worker, string why)
            {
                worker.Kill();
                live.Remove(worker);
                kills.Add(why);
            }

            // The first process owns the writer, and its disk fills while two clients write through it.
            var fullDisk = Start(fullDisk: true);
            await fullDisk.WaitForLineAsync("role owner");
            Start();
            Start();
            await WaitForAsync(() => all.Any(w => w.Lines.Any(l => l.StartsWith("failed ", StringComparison.Ordinal) && l.Contains("I/O", StringComparison.Ordinal))), "writes to fail on the full disk", all, seed);
            Kill(fullDisk, "the owner with the full disk");

            for (var round = 0; round < 8; round++)
            {
                // Every live process writes on (through the owner, or as the owner) before the next blow.
                var acked = live.ToDictionary(w => w, w => w.Acked().Count);
                await WaitForAsync(() => live.All(w => w.Acked().Count > acked[w] + 100), "every live process to write on", all, seed);
                var owner = live.FirstOrDefault(w => w.Lines.Contains("role owner"));
                var victim = owner is not null && random.Next(2) == 0 ? owner : live[random.Next(live.Count)];
                Kill(victim, victim == owner ? "the owner" : "a client");
                Start();
                await CutAFrameAsync(temp.Path, random);
            }

            var before = Acks(live);
            await WaitForAsync(() => Acks(live) > before + 300, "the last survivors to write on", all, seed);
            foreach (var worker in live)
            {
                await worker.WaitForLineAsync("ready"); // its SIGTERM handler is installed
                worker.Terminate();
            }

            // Bounded: a write that never got its answer keeps its process from exiting (WaitForExitAsync's patience).
            foreach (var worker in live)
            {
                Assert.True(await worker.WaitForExitAsync() == 0, $"seed {seed}: {worker.Describe()}");
            }

            var lines = all.SelectMany(w => w.Lines).ToList();
            var counts = temp.LogCounts("shared_log");
            Assert.True(kills.Count == 9 && kills.Contains("the owner"), $"seed {seed}: kills were {string.Join(", ", kills)}");
            Assert.DoesNotContain(lines, l => l.StartsWith("hang ", StringComparison.Ordinal) || l.StartsWith("error ", StringComparison.Ordinal) || l.StartsWith("unknown ", StringComparison.Ordinal));
            Assert.All(all.SelectMany(w => w.Acked()), id => Assert.True(counts.GetValueOrDefault(id) == 1, $"seed {seed}: acknowledged {id} is stored {counts.GetValueOrDefault(id)} times"));
            Assert.All(counts, pair => Assert.True(pair.Value == 1, $"seed {seed}: {pair.Key} is stored {pair.Value} times"));
            var failed = lines.Where(l => l.StartsWith("failed ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToList();
            Assert.All(failed, id => Assert.False(counts.ContainsKey(id), $"seed {seed}: {id} failed but is stored"));
            Assert.Equal("ok", temp.Scalar<string>("PRAGMA integrity_check"));
            var cuts = lines.Count(l => l.StartsWith("cut ", StringComparison.Ordinal));
            log.WriteLine($"seed {seed}: {all.Count} processes, kills: {string.Join(", ", kills)}; {counts.Count} rows, {all.Sum(w => w.Acked().Count)} acknowledged, {failed.Count} failed, {cuts} connections cut mid-frame");
            Assert.True(cuts > 0, $"seed {seed}: no connection was cut mid-frame");
        }
        finally
        {
            all.ForEach(w => w.Dispose());
        }
    }

    private static int Acks(List<WorkerProcess> workers) => workers.Sum(w => w.Acked().Count);

    /// <summary>A peer that sends a hello and part of a write, then hangs up (or just hangs up): the owner must
    /// neither run the cut write nor stop serving. No owner at that moment (one just died) is fine too.</summary>
    private static async Task CutAFrameAsync(string databasePath, Random random)
    {
        try
        {
            using var peer = await RawPeer.ConnectAsync(databasePath);
            var frames = new FrameWriter(256);
            new HelloFrame(WireProtocol.Version, random.NextInt64(1, long.MaxValue)).Write(frames);
            new StatementFrame(0, Filix.Concurrency.Worker.TestSchema.InsertSharedLog, 5).Write(frames);
            new WriteFrame(1, 0, [.. Filix.Concurrency.Worker.TestSchema.SharedValues(new("cut", "x", 0, 0))]).Write(frames);
            await peer.SendAsync(frames.Written[..random.Next(1, frames.Written.Length)]);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Between owners.
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, List<WorkerProcess> workers, int seed)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"seed {seed}: timed out waiting for {what}: {string.Join(" || ", workers.Select(w => w.Describe()))}");
            await Task.Delay(20);
        }
    }
}

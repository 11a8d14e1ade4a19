using Filix.Runtime.Backups;
using Filix.Testing;

namespace Filix.Reliability.Tests.Backups;

/// <summary>Retention over a simulated clock: hourly backups for six weeks, pruned after each as a backup does.</summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 30, 0, TimeSpan.Zero); // a Monday

    private static BackupEntry Backup(DateTimeOffset at, bool verified = true) =>
        new(at, $"/b/entities-{at.UtcTicks}.db.gz", 100, verified, new Dictionary<string, long>());

    [Fact]
    public void Hourly_backups_for_six_weeks_keep_24_hourly_7_daily_and_4_weekly()
    {
        var policy = RetentionPolicy.Default;
        var kept = new List<BackupEntry>();
        var now = Start;
        for (var hour = 0; hour < 24 * 7 * 6; hour++, now = now.AddHours(1))
        {
            kept.Add(Backup(now));
            var doomed = policy.ToDelete(kept, now);
            Assert.DoesNotContain(kept.MaxBy(e => e.TakenAt)!, doomed);
            kept = kept.Except(doomed).ToList();

            // Every hour of the last 24 that had a backup still has one, every day of the last 7 and every week
            // of the last 4 too.
            Assert.All(Enumerable.Range(0, Math.Min(hour + 1, 24)), h => Assert.Contains(kept, e => e.TakenAt == now.AddHours(-h)));
            Assert.All(Enumerable.Range(0, 7).Select(d => now.UtcDateTime.Date.AddDays(-d)).Where(d => d >= Start.UtcDateTime.Date),
                day => Assert.Contains(kept, e => e.TakenAt.UtcDateTime.Date == day));
        }

        // At the end: 24 hourly, plus one per earlier day of the week (6), plus the weeks before that (at most 4 in
        // the 28-day window, fewer where the week's newest is already kept as a daily one).
        Assert.InRange(kept.Count, 24 + 6 + 3, 24 + 6 + 4);
        Assert.All(kept, e => Assert.True(now - e.TakenAt < TimeSpan.FromDays(28)));
        var weeks = kept.Where(e => now - e.TakenAt >= TimeSpan.FromDays(7)).ToList();
        Assert.InRange(weeks.Count, 3, 4);
        Assert.Equal(weeks.Count, weeks.Select(e => e.TakenAt.UtcDateTime.Date.AddDays(-(((int)e.TakenAt.DayOfWeek + 6) % 7))).Distinct().Count());
    }

    [Fact]
    public void Nothing_is_pruned_while_no_newer_verified_backup_exists()
    {
        var policy = new RetentionPolicy(Hours: 1, Days: 0, Weeks: 0);
        var old = Backup(Start);
        var older = Backup(Start.AddHours(-5));

        // A week of failed (unverified) backups later, the last good one and the one before it are still there.
        var failed = Enumerable.Range(1, (7 * 24) - 1).Select(h => Backup(Start.AddHours(h), verified: false)).ToList();
        var now = Start.AddDays(7);
        var doomed = policy.ToDelete([older, old, .. failed], now);
        Assert.DoesNotContain(old, doomed);
        Assert.Contains(older, doomed); // older than a verified backup, outside every window
        Assert.Empty(doomed.Intersect(failed));

        // With no verified backup at all, nothing goes.
        Assert.Empty(policy.ToDelete(failed, now));

        // Once a newer verified one exists, the failed ones before it and the old one go.
        var good = Backup(now);
        doomed = policy.ToDelete([old, .. failed, good], now);
        Assert.Contains(old, doomed);
        Assert.Equal(failed.Count, doomed.Intersect(failed).Count());
        Assert.DoesNotContain(good, doomed);
    }

    [Fact]
    public async Task Taking_backups_over_a_simulated_clock_prunes_files_and_manifest_together()
    {
        using var folder = TempDirectory.Create("retention");
        var path = BackupFixture.DatabaseIn(folder);
        await using (var database = await BackupFixture.OpenAsync(path))
        {
            await BackupFixture.WritePairsAsync(database, "r", 10);
        }

        var clock = new SimulatedClock(Start);
        var options = new BackupOptions { Clock = clock, Retention = new RetentionPolicy(Hours: 2, Days: 0, Weeks: 0) };
        var taken = new List<BackupEntry>();
        for (var i = 0; i < 5; i++)
        {
            taken.Add(FilixBackup.Take(path, options));
            clock.Now = clock.Now.AddHours(1);
        }

        // The last two hours' backups remain (taken at +3 h and +4 h, now +4 h after the fifth), listed and on disk.
        var listed = BackupCatalog.List(path);
        Assert.Equal(taken.TakeLast(2).Select(e => e.File).Reverse(), listed.Select(e => e.File));
        Assert.All(taken.Take(3), e => Assert.False(File.Exists(e.File)));
        Assert.All(listed, e => Assert.True(File.Exists(e.File)));
        Assert.Equal(2, Directory.GetFiles(BackupCatalog.FolderOf(path), "*.db.gz").Length);
    }

    internal sealed class SimulatedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

namespace Filix.Runtime.Backups;

/// <summary>
/// Which backups to keep (seed 004: a week of backups, monitored): the newest verified backup of each of the last
/// <see cref="Hours"/> hours, of each of the last <see cref="Days"/> days and of each of the last <see cref="Weeks"/>
/// weeks (weeks start on Monday, UTC), every backup taken before a migration for the weekly window, and always the
/// newest verified backup. Nothing is ever deleted unless a newer
/// verified backup exists, so a run of failing backups (a corrupted source, a full disk) never prunes the last good one.
/// </summary>
public sealed record RetentionPolicy(int Hours = 24, int Days = 7, int Weeks = 4)
{
    /// <summary>Hourly for 24 hours, daily for 7 days, weekly for 4 weeks.</summary>
    public static RetentionPolicy Default { get; } = new();

    /// <summary>The <see cref="BackupEntry.Reason"/> of a backup taken before a migration.</summary>
    public const string MigrationReason = "migration";

    /// <summary>The backups of <paramref name="entries"/> this policy deletes at <paramref name="now"/>.</summary>
    public IReadOnlyList<BackupEntry> ToDelete(IEnumerable<BackupEntry> entries, DateTimeOffset now)
    {
        var all = entries.ToList();
        var verified = all.Where(e => e.Verified).OrderByDescending(e => e.TakenAt).ToList();
        if (verified.Count == 0)
        {
            return [];
        }

        var newest = verified[0];
        var keep = new HashSet<BackupEntry>(ReferenceEqualityComparer.Instance) { newest };
        KeepNewestPer(verified, keep, now, TimeSpan.FromHours(Hours), t => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc));
        KeepNewestPer(verified, keep, now, TimeSpan.FromDays(Days), t => t.Date);
        KeepNewestPer(verified, keep, now, TimeSpan.FromDays(7 * Weeks), t => t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)));
        // A backup taken before a migration is the only copy in the old schema: kept for the weekly window
        // whatever else was taken in its hour or day.
        keep.UnionWith(verified.Where(e => e.Reason == MigrationReason && now - e.TakenAt < TimeSpan.FromDays(7 * Weeks)));
        return all.Where(e => !keep.Contains(e) && e.TakenAt < newest.TakenAt).OrderBy(e => e.TakenAt).ToList();
    }

    private static void KeepNewestPer(List<BackupEntry> newestFirst, HashSet<BackupEntry> keep, DateTimeOffset now, TimeSpan window, Func<DateTime, DateTime> bucket)
    {
        var seen = new HashSet<DateTime>();
        foreach (var entry in newestFirst)
        {
            if (now - entry.TakenAt < window && seen.Add(bucket(entry.TakenAt.UtcDateTime)))
            {
                keep.Add(entry);
            }
        }
    }
}

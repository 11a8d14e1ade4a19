using System.Globalization;

namespace Filix.Cli.Sync.Watch;

/// <summary>
/// When the daemon backs up and checks the data folder's databases. A backup is due when a database's newest verified
/// backup is older than <see cref="BackupInterval"/> (so a restarted daemon does not take an extra one); a full
/// <c>PRAGMA integrity_check</c> runs every <see cref="CheckInterval"/>. Set from the environment (the unit file):
/// <c>FILIX_BACKUP_INTERVAL</c> and <c>FILIX_CHECK_INTERVAL</c> as <c>hh:mm:ss</c> (or <c>d.hh:mm:ss</c>), or
/// <c>off</c>.
/// </summary>
internal sealed record BackupSchedule
{
    public const string BackupVariable = "FILIX_BACKUP_INTERVAL";
    public const string CheckVariable = "FILIX_CHECK_INTERVAL";

    /// <summary>Hourly: the retention policy keeps hourly backups for a day.</summary>
    public TimeSpan? BackupInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Daily: integrity_check reads every page, so it costs about as much I/O as a backup.</summary>
    public TimeSpan? CheckInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The first check waits this long after start (a minute, or the interval when shorter), so the
    /// daemon's start-up sync goes first.</summary>
    public TimeSpan FirstCheckDelay => Min(TimeSpan.FromMinutes(1), CheckInterval);

    /// <summary>How often the schedule looks at what is due: a minute, or half the shorter interval.</summary>
    public TimeSpan Tick => Min(TimeSpan.FromMinutes(1), BackupInterval / 2, CheckInterval / 2);

    private static TimeSpan Min(TimeSpan first, params TimeSpan?[] others) =>
        others.Where(o => o is not null).Select(o => o!.Value).Append(first).Min();

    public static BackupSchedule FromEnvironment() => new()
    {
        BackupInterval = Read(BackupVariable, TimeSpan.FromHours(1)),
        CheckInterval = Read(CheckVariable, TimeSpan.FromHours(24)),
    };

    private static TimeSpan? Read(string variable, TimeSpan fallback)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (string.Equals(text.Trim(), "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new UsageException($"{variable}='{text}' is not an interval: give hh:mm:ss (01:00:00 for hourly), d.hh:mm:ss, or off.");
    }
}

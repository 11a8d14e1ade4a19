using System.Globalization;

namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// Free space against what the database may need at once: a migration's table rebuild or a backup (<c>VACUUM
/// INTO</c>) writes up to a second copy of it, and its WAL can grow by as much again before a checkpoint. A full disk
/// fails the writer's commits (nothing half-written, but nothing written either).
/// </summary>
internal sealed class DiskSpaceCheck : IDoctorCheck
{
    public string Name => "disk space";

    public Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken)
    {
        var database = new FileInfo(target.Path).Length + Length(target.Path + "-wal");
        long free;
        try
        {
            free = new DriveInfo(target.DataFolder).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Task.FromResult(DoctorFinding.Skipped(Name, $"the free space of '{target.DataFolder}' cannot be read: {ex.Message}"));
        }

        var message = $"{Size(free)} free for a database of {Size(database)}";
        return Task.FromResult(
            free < database ? new DoctorFinding(Name, DoctorStatus.Problem, $"{message} in '{target.DataFolder}': a migration or a backup of '{target.Path}' would fill the disk, and writes fail when it is full.",
                $"Free at least {Size(2 * database - free)} on that disk (old backups of other programs, logs), or move the data folder to a larger disk.")
            : free < 2 * database ? new DoctorFinding(Name, DoctorStatus.Warning, $"{message} in '{target.DataFolder}': less than twice its size, which a migration's rebuild plus a backup may need.",
                $"Free at least {Size(2 * database - free)} on that disk, or move the data folder to a larger disk.")
            : DoctorFinding.Ok(Name, message));
    }

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.##} GiB"),
    };

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}

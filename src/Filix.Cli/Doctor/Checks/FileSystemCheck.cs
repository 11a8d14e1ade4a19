using Filix.Runtime;
using Filix.Runtime.FileSystems;

namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// The file system of the data folder (<see cref="MountedFileSystem.Of"/>, docs/reliability/filesystems.md): WAL needs
/// shared memory and POSIX locks that network and shared file systems do not give, which is how seed 001's database
/// was corrupted over SMB. Filix refuses to write there unless the single-writer override is set.
/// </summary>
internal sealed class FileSystemCheck : IDoctorCheck
{
    public string Name => "file system";

    public Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken)
    {
        var fileSystem = MountedFileSystem.Of(target.DataFolder);
        if (fileSystem.IsSafeForWal)
        {
            return Task.FromResult(fileSystem.Kind == FileSystemKind.Memory
                ? new DoctorFinding(Name, DoctorStatus.Warning, $"'{target.DataFolder}' is on {fileSystem.Describe()}: {fileSystem.Concern}.",
                    "Move the data folder to a disk, or keep backups elsewhere (filix backup) and sync the shared tables (filix sync).")
                : DoctorFinding.Ok(Name, fileSystem.Describe() + ", safe for WAL"));
        }

        var overridden = FileSystemGuard.Mode(FilixOptions.Default, target.Path) == UnsafeFileSystemMode.ExclusiveRollbackJournal;
        return Task.FromResult(new DoctorFinding(Name, overridden ? DoctorStatus.Warning : DoctorStatus.Problem,
            $"'{target.DataFolder}' is on {fileSystem.Describe()}: {fileSystem.Concern}." + (overridden
                ? $" {FileSystemGuard.EnvironmentVariable} is set, so Filix opens it in journal_mode=DELETE with one process holding it alone: safe only while no other process or machine uses the file, and slower."
                : " Filix refuses to write a database there."),
            "Move the data folder to a local disk of the machine that writes it, and give every other machine its own copy through 'filix sync' (docs/sync.md)."
            + (overridden ? string.Empty : $" Only for one process alone: {FileSystemGuard.EnvironmentVariable}=exclusive-rollback-journal (docs/reliability/filesystems.md).")));
    }
}

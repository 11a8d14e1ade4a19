namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// A WAL that grows past what Filix's checkpoints keep it under (docs/concurrency.md, "Checkpoints": they restart it
/// before 64 MiB) means something stops them: a reader that holds one snapshot for a long time, or a process that
/// checkpoints nothing. Every read then searches a longer WAL, and a crash leaves more to recover.
/// </summary>
internal sealed class WalSizeCheck : IDoctorCheck
{
    /// <summary>Twice the size at which Filix's writer forces a checkpoint after every batch.</summary>
    public const long Large = 128L * 1024 * 1024;

    public string Name => "WAL size";

    public Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken)
    {
        var wal = new FileInfo(target.Path + "-wal");
        if (!wal.Exists)
        {
            return Task.FromResult(DoctorFinding.Ok(Name, "no WAL (the database was closed cleanly)"));
        }

        var size = DiskSpaceCheck.Size(wal.Length);
        return Task.FromResult(wal.Length <= Large
            ? DoctorFinding.Ok(Name, size)
            : new DoctorFinding(Name, DoctorStatus.Warning,
                $"'{wal.FullName}' is {size}: checkpoints are not keeping up, so something holds a read snapshot open for long or stops them.",
                "Find the process with a long-running read (a report, an open transaction in a tool) and end it; closing every program that uses the database folds the WAL into it."));
    }
}

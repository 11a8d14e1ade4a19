namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// Filix databases are in WAL mode (docs/concurrency.md): readers never block the writer, and a killed process loses
/// nothing acknowledged. Any other mode means the file was changed by another tool.
/// </summary>
internal sealed class JournalModeCheck : IDoctorCheck
{
    public string Name => "journal mode";

    public Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken)
    {
        if (target.Damaged)
        {
            return Task.FromResult(DoctorFinding.Skipped(Name, "not read: the file is damaged"));
        }

        using var connection = DoctorSqlite.Open(target.Path);
        var mode = DoctorSqlite.Text(connection, "PRAGMA journal_mode");
        return Task.FromResult(string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase)
            ? DoctorFinding.Ok(Name, "wal")
            : new DoctorFinding(Name, DoctorStatus.Problem,
                $"'{target.Path}' is in journal_mode={mode}, not WAL: another tool changed it, and Filix's writer and readers rely on WAL.",
                $"Stop the programs using it and open it once with Filix (it sets WAL), or run: sqlite3 '{target.Path}' 'PRAGMA journal_mode=WAL'"));
    }
}

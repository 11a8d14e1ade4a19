using Microsoft.Data.Sqlite;

namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// <c>PRAGMA quick_check</c> (or with <c>--full</c>, <c>integrity_check</c>: also every index against its table):
/// a damaged page, a truncated file, a file that is not SQLite. A damaged database gets the restore command.
/// </summary>
internal sealed class IntegrityCheck : IDoctorCheck
{
    private const int MaxMessages = 10;

    public string Name => "integrity";

    public Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken)
    {
        var pragma = target.Options.Full ? "integrity_check" : "quick_check";
        string result;
        try
        {
            using var connection = DoctorSqlite.Open(target.Path);
            using var interrupt = cancellationToken.Register(static c => SQLitePCL.raw.sqlite3_interrupt(((SqliteConnection)c!).Handle), connection);
            result = DoctorSqlite.Text(connection, $"PRAGMA {pragma}({MaxMessages})");
        }
        catch (SqliteException ex) when (!cancellationToken.IsCancellationRequested)
        {
            result = $"SQLite error {ex.SqliteErrorCode} ({SQLitePCL.raw.sqlite3_errstr(ex.SqliteErrorCode).utf8_to_string()})";
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(result == "ok"
            ? DoctorFinding.Ok(Name, $"PRAGMA {pragma}: ok")
            : new DoctorFinding(Name, DoctorStatus.Problem,
                $"'{target.Path}' is damaged: PRAGMA {pragma} found {result}.",
                $"Stop the programs using it, then restore the last verified backup: {target.RestoreCommand} (the damaged file is kept aside, and the restore says what it loses).")
            { Damage = true });
    }
}

using Filix.Cli.Sync;
using Filix.Runtime;
using Filix.Runtime.Sync;

namespace Filix.Cli.Doctor.Checks;

/// <summary>
/// How far the shared tables are from the upstream (docs/sync.md): with an upstream (<c>--upstream</c> or
/// <c>FILIX_UPSTREAM</c>), the changes this machine has not pulled; always, the local changes not yet pushed and
/// rows parked because they could not apply. Reads through <see cref="FilixSync.StatusAsync"/>, which needs the
/// database open: it is skipped for a damaged file and for one with pending migrations (opening would apply them).
/// </summary>
internal sealed class SyncLagCheck : IDoctorCheck
{
    /// <summary>Local changes older than this without a push mean the sync daemon is not running.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromDays(1);

    public string Name => "sync";

    public async Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken)
    {
        if (!target.Domain.Shared || target.Domain.Schema.SyncTables.Count == 0)
        {
            return DoctorFinding.Ok(Name, "every table is local: nothing to sync");
        }

        if (target.Damaged || target.UncleanClose || target.Findings.Any(f => f.Status == DoctorStatus.Problem || (f.Check == "migrations" && f.Status != DoctorStatus.Ok)))
        {
            return DoctorFinding.Skipped(Name, "not read: reading it opens the database, which would migrate it, recover the WAL a dead process left, or be refused for the problem above; fix that first");
        }

        var settings = SyncSetup.LoadSettings(target.DataFolder);
        SyncOptions? options = target.Options.Upstream is null ? null : settings.ToOptions(target.Options.Upstream);
        string? unreachable = null;
        SyncStatus status;
        await using (var database = await target.Domain.OpenAsync(target.DataFolder, FilixOptions.Default with { CreateIfMissing = false }, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                status = await FilixSync.StatusAsync(database.Database, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (options is not null && SyncSetup.IsUpstreamFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                unreachable = SyncRedaction.Message(ex, target.Options.Upstream);
                status = await FilixSync.StatusAsync(database.Database, null, cancellationToken).ConfigureAwait(false);
            }
        }

        var tables = status.Tables.Where(t => t.Enabled).ToList();
        var pending = tables.Sum(t => t.PendingLocal);
        var parked = tables.Sum(t => t.Parked.Count);
        var behind = tables.Sum(t => t.BehindUpstream ?? 0);
        var lastPush = tables.Select(t => t.LastPush).Max();
        var summary = $"{pending:N0} local changes not pushed (last push {(lastPush is null ? "never" : lastPush.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture))}), {parked:N0} rows parked"
            + (options is null ? "; upstream lag not known (no --upstream or " + SyncSetup.UpstreamVariable + ")" : unreachable is null ? $", {behind:N0} upstream changes not pulled" : "; the upstream did not answer: " + unreachable);
        var sync = $"filix sync --data {target.DataFolder}";
        if (parked > 0)
        {
            return new DoctorFinding(Name, DoctorStatus.Warning, summary + ".", $"'filix status --data {target.DataFolder}' says which rows are parked and why; fix them, then {sync}.");
        }

        // A machine that has never pushed and was given no upstream does not sync (yet): its changes are not late.
        var late = pending > 0 && (lastPush is null ? options is not null : DateTimeOffset.UtcNow - lastPush > Stale);
        if (late || behind > 0 || unreachable is not null)
        {
            return new DoctorFinding(Name, DoctorStatus.Warning, summary + ".", $"Run '{sync}', or keep '{sync} --watch' running (deploy/ has its service files).");
        }

        return DoctorFinding.Ok(Name, summary);
    }
}

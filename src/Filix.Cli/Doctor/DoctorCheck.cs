using Filix.Cli.Domains;

namespace Filix.Cli.Doctor;

/// <summary>
/// One thing <c>filix doctor</c> looks at in one domain database. Each check is a small class of its own, listed in
/// <see cref="DoctorChecks.All"/>; it reads what it needs itself and never changes the file, and an exception it
/// throws becomes a <see cref="DoctorStatus.Problem"/> of that check only, so one broken check does not hide the
/// others.
/// </summary>
internal interface IDoctorCheck
{
    /// <summary>A short name for the report (<c>journal mode</c>).</summary>
    string Name { get; }

    Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken);
}

/// <summary>The database a check looks at, and what the checks before it found (a check that needs a readable file
/// skips one the integrity check found damaged).</summary>
internal sealed class DoctorTarget(DomainDefinition domain, string dataFolder, DoctorOptions options)
{
    private readonly List<DoctorFinding> _findings = [];

    public DomainDefinition Domain { get; } = domain;

    public string DataFolder { get; } = dataFolder;

    public DoctorOptions Options { get; } = options;

    public string Path => Domain.PathIn(DataFolder);

    public IReadOnlyList<DoctorFinding> Findings => _findings;

    /// <summary>True when an earlier check found the file damaged or unreadable: checks that read tables skip it.</summary>
    public bool Damaged => _findings.Any(f => f.Damage);

    /// <summary>True when an earlier check found the WAL of a process that died: checks that would open the database
    /// through Filix (which recovers and checkpoints that WAL on close) skip it, so doctor leaves it for the next open.</summary>
    public bool UncleanClose => _findings.Any(f => f.UncleanClose);

    /// <summary>The exact command that restores this database from its last verified backup.</summary>
    public string RestoreCommand => Runtime.Backups.BackupCatalog.RestoreCommand(Path);

    internal void Add(DoctorFinding finding) => _findings.Add(finding);
}

/// <summary>What the command was asked for.</summary>
/// <param name="Full">Run <c>PRAGMA integrity_check</c> (every index against its table) instead of <c>quick_check</c>.</param>
/// <param name="Upstream">The upstream connection string for the sync lag, or null (then only local pending changes).</param>
internal sealed record DoctorOptions(bool Full, string? Upstream);

internal enum DoctorStatus
{
    /// <summary>Nothing wrong.</summary>
    Ok,

    /// <summary>Not wrong yet, but worth acting on (a large WAL, an old backup, pending migrations).</summary>
    Warning,

    /// <summary>Wrong: the database is unhealthy or at risk; doctor exits non-zero.</summary>
    Problem,

    /// <summary>The check could not run here (the file is damaged, the platform cannot tell).</summary>
    Skipped,
}

/// <summary>What one check found: a status, what it saw, and for a warning or problem the fix.</summary>
/// <param name="Check">The check's name.</param>
/// <param name="Status">Ok, warning, problem or skipped.</param>
/// <param name="Message">What it found, naming the file.</param>
/// <param name="Fix">What to do; null when nothing is to be done.</param>
internal sealed record DoctorFinding(string Check, DoctorStatus Status, string Message, string? Fix = null)
{
    /// <summary>True when this finding means the file's contents cannot be trusted (later checks skip reading it).</summary>
    public bool Damage { get; init; }

    /// <summary>True when this finding is the WAL of a process that died (see <see cref="DoctorTarget.UncleanClose"/>).</summary>
    public bool UncleanClose { get; init; }

    public static DoctorFinding Ok(string check, string message) => new(check, DoctorStatus.Ok, message);

    public static DoctorFinding Skipped(string check, string message) => new(check, DoctorStatus.Skipped, message);
}

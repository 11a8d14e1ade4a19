namespace Filix.Runtime.Health;

/// <summary>
/// What a health check found in a database's files: nothing (<see cref="IsHealthy"/>), or problems that make writing
/// unsafe, each with what is wrong and what to do. A database opened with problems is read-only
/// (<see cref="FilixDatabase.IsReadOnly"/>).
/// </summary>
/// <param name="Path">The database file checked (full path).</param>
/// <param name="Problems">What makes the file unsafe to write; empty when healthy.</param>
public sealed record DatabaseHealth(string Path, IReadOnlyList<HealthProblem> Problems)
{
    /// <summary>True when no problem was found.</summary>
    public bool IsHealthy => Problems.Count == 0;

    /// <summary>
    /// The last process that had the database open did not close it: a <c>-wal</c> (or hot <c>-journal</c>) was left
    /// beside it while no process holds it open. SQLite deletes the WAL when the last connection closes cleanly, so
    /// its presence is the clean-close marker (see docs/reliability/health.md). An open then runs
    /// <c>PRAGMA quick_check</c> (<see cref="QuickCheck"/>).
    /// </summary>
    public bool UncleanClose { get; init; }

    /// <summary>Another process holds the database open (its WAL is live: the WAL checks that need a quiet file were
    /// skipped). Known on Linux; false elsewhere.</summary>
    public bool OpenElsewhere { get; init; }

    /// <summary>What <c>PRAGMA quick_check</c> said (<c>ok</c> or its first messages); null when it did not run.</summary>
    public string? QuickCheck { get; init; }

    /// <summary>What <c>PRAGMA integrity_check</c> and <c>foreign_key_check</c> said; null unless <see cref="HealthCheck.Full"/> ran.</summary>
    public string? IntegrityCheck { get; init; }

    /// <summary>Things worth knowing that are not problems (a stale <c>-shm</c> SQLite rebuilds, an empty file adopted).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>How long the checks took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The problems as one text: each one's file, what is wrong and the fix.</summary>
    public string Describe() => IsHealthy
        ? $"'{Path}' is healthy."
        : string.Join(" ", Problems.Select(p => $"{p.Message} {p.Fix}"));

    internal DatabaseHealth With(HealthProblem problem) => this with { Problems = [.. Problems, problem] };

    internal DatabaseHealth WithNote(string note) => this with { Notes = [.. Notes, note] };
}

/// <summary>One thing wrong with a database's files.</summary>
/// <param name="Kind">What kind of problem (stable, for tools).</param>
/// <param name="File">The file at fault: the database, its <c>-wal</c>, <c>-shm</c> or <c>-journal</c>.</param>
/// <param name="Message">What is wrong, naming the file.</param>
/// <param name="Fix">What to do.</param>
public sealed record HealthProblem(HealthProblemKind Kind, string File, string Message, string Fix)
{
    /// <summary>True when SQLite cannot read anything of the database (it cannot even be opened read-only).</summary>
    public bool Unreadable => Kind is HealthProblemKind.NotSqlite or HealthProblemKind.BadHeader or HealthProblemKind.EmptyFile
        or HealthProblemKind.OrphanWal or HealthProblemKind.OrphanShm or HealthProblemKind.OrphanJournal or HealthProblemKind.Unreadable;
}

/// <summary>The kinds of <see cref="HealthProblem"/>.</summary>
public enum HealthProblemKind
{
    /// <summary>The file does not start with SQLite's header ("SQLite format 3").</summary>
    NotSqlite,

    /// <summary>The header's page size or fixed fields are invalid.</summary>
    BadHeader,

    /// <summary>The file is empty (0 bytes) while backups of it exist: its data was lost.</summary>
    EmptyFile,

    /// <summary>The file is shorter than its header says (or ends in a partial page).</summary>
    Truncated,

    /// <summary>The <c>-wal</c> header is damaged (magic, version or checksum): SQLite would ignore every write in it.</summary>
    WalHeader,

    /// <summary>The <c>-wal</c> belongs to another database (its page size differs).</summary>
    WalMismatch,

    /// <summary>A frame in the middle of the <c>-wal</c> is damaged and committed transactions follow it: SQLite would drop them.</summary>
    WalDamaged,

    /// <summary>A <c>-wal</c> without its database.</summary>
    OrphanWal,

    /// <summary>A <c>-shm</c> without its database.</summary>
    OrphanShm,

    /// <summary>A <c>-journal</c> without its database.</summary>
    OrphanJournal,

    /// <summary><c>PRAGMA quick_check</c> found damage.</summary>
    QuickCheck,

    /// <summary><c>PRAGMA integrity_check</c> found damage.</summary>
    IntegrityCheck,

    /// <summary><c>PRAGMA foreign_key_check</c> found rows referring to missing rows.</summary>
    ForeignKeys,

    /// <summary>SQLite could not read the file at all (its schema is unreadable, or an I/O error).</summary>
    Unreadable,
}

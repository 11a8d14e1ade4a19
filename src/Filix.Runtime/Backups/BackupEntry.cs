namespace Filix.Runtime.Backups;

/// <summary>
/// One backup of a domain database, as listed in its folder's <c>manifest.json</c>
/// (<see cref="BackupCatalog"/> describes the layout).
/// </summary>
/// <param name="TakenAt">When the backup's snapshot was taken (UTC): every write committed before it is in the backup.</param>
/// <param name="File">The backup file's full path (<c>&lt;dir&gt;/backups/&lt;name&gt;/&lt;name&gt;-&lt;yyyyMMddTHHmmssfffZ&gt;.db.gz</c>).</param>
/// <param name="Bytes">The compressed file's size.</param>
/// <param name="Verified">Whether the backup was opened after it was written and passed <c>integrity_check</c>.</param>
/// <param name="RowCounts">Rows per table at the snapshot, counted while verifying.</param>
public sealed record BackupEntry(DateTimeOffset TakenAt, string File, long Bytes, bool Verified, IReadOnlyDictionary<string, long> RowCounts)
{
    /// <summary>The result of <c>PRAGMA integrity_check</c> on the backup (<c>ok</c>, or SQLite's first messages).</summary>
    public string Integrity { get; init; } = "";

    /// <summary>The schema hash recorded in the backed-up database (<c>_filix_meta</c>), empty when it had none.</summary>
    public string SchemaHash { get; init; } = "";

    /// <summary>Why it was taken: <c>manual</c>, <c>scheduled</c> or <c>migration</c>.</summary>
    public string Reason { get; init; } = "";

    /// <summary>How the snapshot was made: <c>backup-api</c> or <c>vacuum-into</c>.</summary>
    public string Method { get; init; } = "";

    /// <summary>The uncompressed database's size.</summary>
    public long DatabaseBytes { get; init; }

    /// <summary>SHA-256 of the compressed file (lower-case hex): a restore checks it before it trusts the file.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>The file name without its folder.</summary>
    public string FileName => System.IO.Path.GetFileName(File);
}

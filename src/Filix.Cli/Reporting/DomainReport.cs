using System.Text.Json.Serialization;
using Filix.Cli.Domains;

namespace Filix.Cli.Reporting;

/// <summary>What a command found in one domain's database. Serialised as is by <c>--json</c>.</summary>
internal sealed record DomainReport
{
    public required string Domain { get; init; }

    /// <summary>The database file.</summary>
    public required string Path { get; init; }

    /// <summary><c>seeded</c> (filled by this run), <c>kept</c> (held rows already; left as it was), <c>present</c>
    /// (report only), <c>missing</c> (no file) or <c>error</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Whether any table syncs to the upstream (false for a local-only domain).</summary>
    public bool Shared { get; init; }

    public IReadOnlyList<TableRows> Tables { get; init; } = [];

    public long Rows => Tables.Sum(t => t.Rows);

    /// <summary>Size on disk: the database file plus its WAL, if one is left.</summary>
    public long Bytes { get; init; }

    public string? JournalMode { get; init; }

    /// <summary>Wall time spent on this domain (open, seed, read back, count).</summary>
    public double Seconds { get; init; }

    /// <summary>The reads made through the repositories after seeding (run only).</summary>
    public IReadOnlyList<ReadCheck> ReadBack { get; init; } = [];

    /// <summary>What opening the database changed in its schema (created, upgraded, adopted); absent when nothing.</summary>
    public MigrationSummary? Migrations { get; init; }

    /// <summary>Something the user should know that is not an error, such as empty tables in a kept database.</summary>
    public string? Note { get; init; }

    public string? Error { get; init; }
}

/// <summary>The whole report: every domain in registry order.</summary>
internal sealed record FilixReport
{
    public required string Command { get; init; }

    public required string DataFolder { get; init; }

    public required IReadOnlyList<DomainReport> Domains { get; init; }

    public long Rows => Domains.Sum(d => d.Rows);

    public long Bytes => Domains.Sum(d => d.Bytes);

    public double Seconds { get; init; }

    public bool Ok => Domains.All(d => d.Error is null);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FilixReport))]
[JsonSerializable(typeof(MigrationsReport))]
internal sealed partial class ReportJson : JsonSerializerContext;

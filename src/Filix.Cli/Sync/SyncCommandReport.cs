using System.Text.Json.Serialization;
using Filix.Runtime.Sync;

namespace Filix.Cli.Sync;

/// <summary>What <c>filix sync</c> did, serialised as is by <c>--json</c>.</summary>
internal sealed record SyncRunReport
{
    public string Command => "sync";

    public required string DataFolder { get; init; }

    public required string Machine { get; init; }

    /// <summary>The upstream as <c>host:port/database (user U)</c>: never the connection string.</summary>
    public required string Upstream { get; init; }

    public required IReadOnlyList<DomainSyncReport> Domains { get; init; }

    public double Seconds { get; init; }

    public bool Ok => Domains.All(d => d.Error is null);
}

/// <summary>One domain's sync: its tables, or the error that stopped it (the other domains still ran).</summary>
internal sealed record DomainSyncReport
{
    public required string Domain { get; init; }

    public required string Path { get; init; }

    public IReadOnlyList<TableSyncReport> Tables { get; init; } = [];

    /// <summary>The upstream holds migrations this build does not know: upgrade.</summary>
    public string? Warning { get; init; }

    public string? Error { get; init; }

    public double Seconds { get; init; }
}

/// <summary>What <c>filix status</c> found, serialised as is by <c>--json</c>.</summary>
internal sealed record SyncStatusReport
{
    public string Command => "status";

    public required string DataFolder { get; init; }

    public required string Machine { get; init; }

    /// <summary>The upstream as <c>host:port/database (user U)</c>, when one was given.</summary>
    public string? Upstream { get; init; }

    /// <summary>Why the lag behind upstream is unknown: no upstream given, or it could not be reached.</summary>
    public string? UpstreamNote { get; init; }

    public required IReadOnlyList<DomainStatusReport> Domains { get; init; }

    public bool Ok => Domains.All(d => d.Error is null);
}

/// <summary>One domain: <c>status</c> is <c>present</c>, <c>missing</c> (no database file yet) or <c>error</c>.</summary>
internal sealed record DomainStatusReport
{
    public required string Domain { get; init; }

    public required string Path { get; init; }

    public required string Status { get; init; }

    public IReadOnlyList<TableSyncStatus> Tables { get; init; } = [];

    public string? Warning { get; init; }

    public string? Error { get; init; }
}

/// <summary>Settings after <c>filix sync enable</c> / <c>disable</c>.</summary>
internal sealed record SyncSettingsReport
{
    public required string Command { get; init; }

    public required string Settings { get; init; }

    public required string Machine { get; init; }

    public required IReadOnlyList<string> Enabled { get; init; }

    /// <summary>Every optional table and whether it syncs here now.</summary>
    public required IReadOnlyList<OptionalTableState> Tables { get; init; }
}

internal sealed record OptionalTableState(string Table, bool Enabled);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SyncRunReport))]
[JsonSerializable(typeof(SyncStatusReport))]
[JsonSerializable(typeof(SyncSettingsReport))]
internal sealed partial class SyncJson : JsonSerializerContext;

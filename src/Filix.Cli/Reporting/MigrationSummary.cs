using Filix.Runtime.Migrations;

namespace Filix.Cli.Reporting;

/// <summary>What opening a database changed in its schema, for the report; none when it was already up to date.</summary>
internal sealed record MigrationSummary
{
    /// <summary><c>created</c> (a new file: every migration applied), <c>upgraded</c> (the migrations it lacked
    /// applied), <c>adopted</c> (made before Filix kept a history: the migrations that produce its schema recorded
    /// without running, then any later ones applied), or, from <c>filix report</c>, which changes nothing,
    /// <c>pending</c> (what opening or <c>filix migrate</c> would apply and adopt).</summary>
    public required string Change { get; init; }

    /// <summary>The migrations this open ran, oldest first.</summary>
    public IReadOnlyList<string> Applied { get; init; } = [];

    /// <summary>The migrations recorded as already applied (adoption only).</summary>
    public IReadOnlyList<string> Adopted { get; init; } = [];

    /// <summary>The migrations the file lacks (<c>pending</c> only): not applied by the report.</summary>
    public IReadOnlyList<string> Pending { get; init; } = [];

    /// <summary>What a dry run (the runtime's status check) found pending; null when the file is up to date.</summary>
    public static MigrationSummary? FromStatus(MigrationReport status) =>
        status.Pending.Count == 0 && status.Adopted.Count == 0
            ? null
            : new MigrationSummary
            {
                Change = "pending",
                Pending = [.. status.Pending.Select(m => m.ToString())],
                Adopted = [.. status.Adopted.Select(m => m.ToString())],
            };

    /// <summary>The summary of an open's report; null when the open changed nothing.</summary>
    public static MigrationSummary? From(MigrationReport report)
    {
        if (report.Pending.Count == 0 && report.Adopted.Count == 0)
        {
            return null;
        }

        var change = report.Adopted.Count > 0 ? "adopted" : report.Applied.Count == 0 ? "created" : "upgraded";
        return new MigrationSummary
        {
            Change = change,
            Applied = [.. report.Pending.Select(m => m.ToString())],
            Adopted = [.. report.Adopted.Select(m => m.ToString())],
        };
    }

    /// <summary>One line: <c>upgraded, applied 0002_add_x</c>; <c>adopted 0001_initial (it already had that schema)</c>.</summary>
    public override string ToString()
    {
        if (Change == "pending")
        {
            var adopt = Adopted.Count > 0 ? $"would adopt {string.Join(", ", Adopted)} (it already has that schema)" : null;
            var apply = Pending.Count > 0 ? $"would apply {string.Join(", ", Pending)}" : null;
            return $"pending: {string.Join("; ", new[] { adopt, apply }.OfType<string>())}. Nothing was changed; 'filix migrate' (or opening the database) does it.";
        }

        var applied = Applied.Count > 0 ? "applied " + string.Join(", ", Applied) : null;
        return Adopted.Count > 0
            ? $"adopted {string.Join(", ", Adopted)} (it already had that schema){(applied is null ? string.Empty : "; " + applied)}"
            : $"{Change}, {applied}";
    }
}

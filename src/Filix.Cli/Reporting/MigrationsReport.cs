using Filix.Runtime.Migrations;

namespace Filix.Cli.Reporting;

/// <summary>The <c>--json</c> document of <c>filix migrate</c> and <c>filix migrations</c>: each database's
/// history and what it lacked.</summary>
internal sealed record MigrationsReport
{
    /// <summary><c>migrate</c> or <c>migrations</c>.</summary>
    public required string Command { get; init; }

    public required string DataFolder { get; init; }

    /// <summary>True when nothing was changed (<c>migrations</c>, <c>migrate --dry-run</c>).</summary>
    public required bool DryRun { get; init; }

    /// <summary>Every selected domain's file, each followed by the upstream's record of it with --upstream.</summary>
    public required IReadOnlyList<DatabaseMigrations> Databases { get; init; }
}

/// <summary>One database's <see cref="MigrationReport"/>, with migrations named <c>0001_initial</c>.</summary>
internal sealed record DatabaseMigrations
{
    public required string Domain { get; init; }

    /// <summary>The database file, or <c>upstream</c>.</summary>
    public required string Database { get; init; }

    /// <summary>The history before this command.</summary>
    public IReadOnlyList<AppliedMigration> Applied { get; init; } = [];

    /// <summary>The migrations the database lacked: applied by <c>migrate</c>, pending on a dry run.</summary>
    public IReadOnlyList<string> Pending { get; init; } = [];

    /// <summary>The migrations recorded as applied without running, because the database already had the schema they produce.</summary>
    public IReadOnlyList<string> Adopted { get; init; } = [];

    public static DatabaseMigrations From(string domain, string database, MigrationReport report) => new()
    {
        Domain = domain,
        Database = database,
        Applied = report.Applied,
        Pending = [.. report.Pending.Select(m => m.ToString())],
        Adopted = [.. report.Adopted.Select(m => m.ToString())],
    };
}

namespace Filix.Runtime.Migrations;

/// <summary>
/// A data check a migration file declares (<c>-- filix:check table|column|problem|SELECT count(*) ...</c>): rows
/// that would make the migration fail or lose data. All checks of a migration run before its first statement, so a
/// failing one stops the migration with a clear message while nothing has changed.
/// </summary>
internal sealed record MigrationCheck(string Table, string Column, string Problem, string CountSql)
{
    private const string Prefix = "-- filix:check ";

    public static List<MigrationCheck> Parse(string script)
    {
        var checks = new List<MigrationCheck>();
        foreach (var line in script.Split('\n'))
        {
            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line[Prefix.Length..].TrimEnd('\r').Split('|', 4);
            if (parts.Length == 4)
            {
                checks.Add(new MigrationCheck(parts[0], parts[1], parts[2], parts[3]));
            }
        }

        return checks;
    }

    public FilixException Failure(Migration migration, MigrationTarget where, long rows) => new(
        $"Migration {migration} cannot be applied to {where}: column {Table}.{Column} {Problem} ({rows} row(s)). " +
        "Nothing was changed. Fix those rows (or change the YAML so the migration keeps them), then open the database again.",
        where.Path);
}

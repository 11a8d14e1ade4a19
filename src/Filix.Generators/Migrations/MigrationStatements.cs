using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;
using Filix.Generators.Sql;

namespace Filix.Generators.Migrations;

/// <summary>
/// The statements SQLite and Postgres spell the same way (renames, adds, drops, CREATE TABLE/INDEX through
/// <see cref="DdlBuilder"/>), so each dialect's generator only writes what differs.
/// </summary>
internal static class MigrationStatements
{
    /// <summary>Adds the statements of <paramref name="operation"/>; false when it has no portable form.</summary>
    public static bool TryAdd(MigrationScript script, DomainSpec desired, RecordedNames names, MigrationOperation operation, SqlDialect dialect)
    {
        var table = SqlDialect.Quote(operation.Table);
        switch (operation)
        {
            case DropIndexOperation drop:
                script.Add("DROP INDEX " + SqlDialect.Quote(drop.Index.Name));
                return true;
            case RenameTableOperation rename:
                script.Add($"ALTER TABLE {SqlDialect.Quote(rename.OldName)} RENAME TO {table}");
                return true;
            case RenameColumnOperation rename:
                script.Add($"ALTER TABLE {table} RENAME COLUMN {SqlDialect.Quote(rename.OldName)} TO {SqlDialect.Quote(rename.NewName)}");
                return true;
            case CreateTableOperation create:
                CreateTable(script, create.Spec, dialect);
                return true;
            case AddColumnOperation add:
                if (!add.Column.Nullable && add.Column.Default is null)
                {
                    script.Check(add.Table, add.Column.Name, "is a new NOT NULL column without a default, but the table has rows", $"SELECT count(*) FROM {SqlDialect.Quote(names.Table(add.Table))}");
                }

                UniqueCheck(script, names, add.Table, new[] { add.Column.Name }, add.Column.Unique, desired: desired.Tables.First(t => t.Name == add.Table));
                script.Add($"ALTER TABLE {table} ADD COLUMN {DdlBuilder.ColumnDefinition(add.Column, dialect)}");
                return true;
            case DropColumnOperation drop:
                script.Add($"ALTER TABLE {table} DROP COLUMN {SqlDialect.Quote(drop.Column.Name)}");
                return true;
            case CreateIndexOperation create:
                var indexed = desired.Tables.First(t => t.Name == create.Table);
                UniqueCheck(script, names, create.Table, create.Index.Columns, create.Index.Unique, desired: indexed);
                script.Add(DdlBuilder.CreateIndex(indexed, create.Index));
                return true;
            case DropTableOperation:
                script.Add("DROP TABLE " + table);
                return true;
            default:
                return false;
        }
    }

    public static void CreateTable(MigrationScript script, TableSpec spec, SqlDialect dialect)
    {
        script.Add(DdlBuilder.CreateTable(spec, dialect));
        foreach (var index in spec.Indexes)
        {
            script.Add(DdlBuilder.CreateIndex(spec, index));
        }
    }

    /// <summary>Counts the values that occur more than once before a unique index, constraint or key is created on
    /// existing rows, by the recorded names, and selects a few of them for the message. As SQL's UNIQUE does in
    /// SQLite and Postgres, rows with a NULL in a key column are left out (NULLs are distinct); a primary key
    /// admits no NULL, so there every row counts. When the key includes a column the migration adds, the check
    /// covers the existing ones (conservative). A key made only of new columns gives every existing row the same
    /// value when each column has a default (<paramref name="desired"/> says), so then more than one row is the
    /// duplicate; without a default the new columns are NULL, which UNIQUE allows any number of times.</summary>
    public static void UniqueCheck(MigrationScript script, RecordedNames names, string table, IEnumerable<string> columns, bool unique, string what = "unique constraint", TableSpec? desired = null)
    {
        var list = columns.ToList();
        var recorded = list.Select(c => names.Column(table, c)).OfType<string>().ToList();
        if (!unique)
        {
            return;
        }

        if (recorded.Count == 0)
        {
            if (desired is not null && list.All(c => desired.Columns.FirstOrDefault(d => d.Name == c)?.Default is not null))
            {
                script.Check(table, string.Join(",", list),
                    $"is new and its default gives every existing row the same value, but the new {what} needs each value once and the table has {{count:row/rows}} more than one",
                    $"SELECT count(*) - 1 FROM {SqlDialect.Quote(names.Table(table))} HAVING count(*) > 1");
            }

            return;
        }

        var keys = SqlDialect.ColumnList(recorded);
        var nulls = what == "primary key" ? string.Empty : " WHERE " + string.Join(" AND ", recorded.Select(c => SqlDialect.Quote(c) + " IS NOT NULL"));
        var groups = $"FROM {SqlDialect.Quote(names.Table(table))}{nulls} GROUP BY {keys} HAVING count(*) > 1";
        var problem = list.Count == 1
            ? $"has {{count:value that occurs/values that occur}} in more than one row, but the new {what} needs each value once"
            : $"have {{count:combination of values that occurs/combinations of values that occur}} in more than one row, but the new {what} needs each combination once";
        script.Check(table, string.Join(",", list), problem, $"SELECT count(*) FROM (SELECT 1 {groups}) AS duplicates", $"SELECT {keys} {groups} LIMIT 3");
    }

    /// <summary>
    /// A unique column whose NULLs a default fills as it becomes NOT NULL: NULLs are distinct under UNIQUE, the
    /// filled values are not. Refused before anything changes, naming the column, when two rows would then hold
    /// the default (two NULLs, or a NULL and a row that already holds it). Same rule in both dialects.
    /// </summary>
    public static void FillCheck(MigrationScript script, RecordedNames names, string table, ColumnSpec old, ColumnSpec now, SqlDialect dialect)
    {
        if (!now.Unique || !old.Nullable || now.Nullable || now.Default is not { } value || old.Type != now.Type)
        {
            return;
        }

        var from = SqlDialect.Quote(names.Table(table));
        var x = SqlDialect.Quote(old.Name);
        var filled = dialect.DefaultExpression(now.Type, value);
        script.Check(table, now.Name,
            $"holds NULL in {{count:row/rows}} that the default fills, but the default is then in more than one row of a unique column",
            $"SELECT count(*) FROM {from} WHERE {x} IS NULL AND ((SELECT count(*) FROM {from} WHERE {x} IS NULL) > 1 OR EXISTS (SELECT 1 FROM {from} WHERE {x} = {filled}))");
    }
}

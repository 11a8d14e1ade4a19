using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;
using Filix.Generators.Parsing;
using Filix.Generators.Sql;

namespace Filix.Generators.Migrations;

/// <summary>
/// Rewrites operations into SQLite statements, as EF Core's SqliteMigrationsSqlGenerator.RewriteOperations and
/// Atlas's sqlite alterable() do: what ALTER TABLE can express (add a column, rename a table or column, drop a plain
/// column) stays an ALTER; every other change to a table folds into one rebuild of that table (the 12 steps of
/// https://sqlite.org/lang_altertable.html#otheralter): create the new table, copy the rows in one
/// INSERT ... SELECT, drop the old table, rename the new one, recreate its indexes. Every rename of tables and
/// columns comes first, as a plain ALTER TABLE .. RENAME (<see cref="RenameSteps"/>): SQLite then rewrites the
/// views, triggers and foreign keys that mention the old names, and a rebuild starts from the renamed table. The
/// runtime runs the script with foreign keys off, in one transaction, with PRAGMA foreign_key_check before COMMIT,
/// and sets aside views and triggers after the leading renames and recreates them at the end.
/// </summary>
internal static class SqliteMigrationSql
{
    public const string RebuildPrefix = "_filix_new_";

    public static MigrationScript Generate(DomainSpec? recorded, DomainSpec desired, IReadOnlyList<MigrationOperation> operations)
    {
        var script = new MigrationScript();
        var oldTables = recorded?.Tables.ToDictionary(t => t.Name) ?? new Dictionary<string, TableSpec>();
        var renamedFrom = operations.OfType<RenameTableOperation>().ToDictionary(o => o.Table, o => o.OldName);
        var rebuilds = operations.Where(NeedsRebuild).Select(o => o.Table).Distinct().ToList();
        var names = new RecordedNames(operations);
        var renames = new RenameSteps(operations);
        renames.Steps.ForEach(step => script.Add(step.Sql));
        renames.DroppedIndexes.ForEach(index => script.Add(index.Sql));
        var pending = rebuilds.Count > 0;
        foreach (var operation in operations)
        {
            // The rebuilds come after new tables, before added columns, column drops and new indexes.
            if (pending && operation.Rank >= 4)
            {
                pending = false;
                EmitRebuilds();
            }

            switch (operation)
            {
                case RenameTableOperation or RenameColumnOperation:
                    continue; // above, before everything
                case DropTableOperation drop:
                    script.Add("DROP TABLE " + SqlDialect.Quote(renames.DroppedTable(drop.Table)));
                    continue;
                case CreateTableOperation or ChangeSyncOperation:
                    break;

                // Every other change to a rebuilt table is part of its rebuild.
                case MigrationOperation when rebuilds.Contains(operation.Table):
                    continue;
                case DropColumnOperation drop:
                    script.Add($"ALTER TABLE {SqlDialect.Quote(drop.Table)} DROP COLUMN {SqlDialect.Quote(renames.DroppedColumn(drop.Table, drop.Column.Name))}");
                    continue;
            }

            MigrationStatements.TryAdd(script, desired, names, operation, SqlDialect.Sqlite);
        }

        if (pending)
        {
            EmitRebuilds();
        }

        return script;

        void EmitRebuilds()
        {
            foreach (var table in rebuilds)
            {
                var before = oldTables[renamedFrom.TryGetValue(table, out var from) ? from : table];
                Rebuild(script, names, before, desired.Tables.First(t => t.Name == table), operations.Where(o => o.Table == table).ToList());
            }
        }
    }

    /// <summary>Whether SQLite's ALTER TABLE cannot express the operation (EF Core's and Atlas's whitelist).</summary>
    internal static bool NeedsRebuild(MigrationOperation operation) => operation switch
    {
        AlterColumnOperation or AlterPrimaryKeyOperation => true,

        // ADD COLUMN refuses UNIQUE, a non-constant default (now, today) and NOT NULL without a default.
        AddColumnOperation add => add.Column.Unique || add.Column.Default?.Kind is DefaultKind.Now or DefaultKind.Today
            || (!add.Column.Nullable && add.Column.Default is null) || (add.Column.References is not null && add.Column.Default is not null),

        // DROP COLUMN refuses key, unique and foreign-key columns.
        DropColumnOperation drop => drop.Column.Unique || drop.Column.References is not null,
        _ => false,
    };

    /// <summary>The 12-step rebuild of one table from its recorded shape to its desired shape. The renames have
    /// run: the table and the columns it keeps already have their new names. The data checks run before any
    /// statement, so they read the recorded names.</summary>
    private static void Rebuild(MigrationScript script, RecordedNames names, TableSpec before, TableSpec after, List<MigrationOperation> operations)
    {
        // Where each column's values come from: the differ's renames and additions say it (one matching rule).
        var renamedFrom = operations.OfType<RenameColumnOperation>().ToDictionary(o => o.NewName, o => o.OldName);
        var added = new HashSet<string>(operations.OfType<AddColumnOperation>().Select(o => o.Column.Name));
        var sourceOf = new Dictionary<string, ColumnSpec>();
        foreach (var column in after.Columns.Where(c => !added.Contains(c.Name)))
        {
            var from = renamedFrom.TryGetValue(column.Name, out var previous) ? previous : column.Name;
            sourceOf[column.Name] = before.Columns.First(c => c.Name == from);
        }

        var table = SqlDialect.Quote(after.Name);
        var recordedTable = SqlDialect.Quote(before.Name);
        var temp = RebuildPrefix + after.Name;
        var reasons = operations.Where(NeedsRebuild).Select(Describe).Distinct();
        script.Comment($"Rebuild {table} ({string.Join("; ", reasons)}): SQLite's ALTER TABLE cannot express this (https://sqlite.org/lang_altertable.html#otheralter).");

        var copied = new List<string>();
        var expressions = new List<string>();
        foreach (var column in after.Columns)
        {
            if (!sourceOf.TryGetValue(column.Name, out var source))
            {
                if (!column.Nullable && column.Default is null)
                {
                    script.Check(after.Name, column.Name, "is a new NOT NULL column without a default, but the table has rows", $"SELECT count(*) FROM {recordedTable}");
                }

                continue; // the new column takes its default
            }

            var expression = ColumnConversions.SqliteCopy(column.Name, source.Type, column.Type);
            ColumnConversions.Check(script, after.Name, column.Name, before.Name, source.Name, source.Type, column.Type, SqlDialect.Sqlite);

            if (source.Nullable && !column.Nullable)
            {
                if (column.Default is { } value)
                {
                    MigrationStatements.FillCheck(script, names, after.Name, source, column, SqlDialect.Sqlite);
                    expression = $"COALESCE({expression}, {SqlDialect.Sqlite.DefaultExpression(column.Type, value)})";
                }
                else
                {
                    script.Check(after.Name, column.Name, "holds NULL, but it becomes NOT NULL without a default",
                        $"SELECT count(*) FROM {recordedTable} WHERE {SqlDialect.Quote(source.Name)} IS NULL");
                }
            }

            copied.Add(column.Name);
            expressions.Add(expression);
        }

        if (!after.PrimaryKey.SequenceEqual(before.PrimaryKey.Select(k => after.Columns.FirstOrDefault(c => sourceOf.TryGetValue(c.Name, out var s) && s.Name == k)?.Name ?? k)))
        {
            MigrationStatements.UniqueCheck(script, names, after.Name, after.PrimaryKey, true, "primary key", after);
        }

        foreach (var column in after.Columns.Where(c => c.Unique && (!sourceOf.TryGetValue(c.Name, out var s) || !s.Unique)))
        {
            MigrationStatements.UniqueCheck(script, names, after.Name, new[] { column.Name }, true, desired: after);
        }

        script.Add(DdlBuilder.CreateTable(after with { Name = temp }, SqlDialect.Sqlite));
        if (copied.Count == 0)
        {
            // No old column survives, but the rows do (as ALTER TABLE keeps them in Postgres): each takes the
            // new columns' defaults. A new NOT NULL column without one was checked above, and a new key that
            // the rows would share fails the INSERT, rolling the migration back, as it fails in Postgres.
            var first = after.Columns[0];
            copied.Add(first.Name);
            expressions.Add(first.Default is { } value ? SqlDialect.Sqlite.DefaultExpression(first.Type, value) : "NULL");
        }

        script.Add($"INSERT INTO {SqlDialect.Quote(temp)} ({SqlDialect.ColumnList(copied)})\n    SELECT {string.Join(", ", expressions)}\n    FROM {table}");
        script.Add("DROP TABLE " + table);
        script.Add($"ALTER TABLE {SqlDialect.Quote(temp)} RENAME TO {table}");
        foreach (var index in after.Indexes)
        {
            MigrationStatements.UniqueCheck(script, names, after.Name, index.Columns, index.Unique && !before.Indexes.Any(i => i.Unique && i.Name == index.Name), desired: after);
            script.Add(DdlBuilder.CreateIndex(after, index));
        }
    }

    private static string Describe(MigrationOperation operation) => operation switch
    {
        AddColumnOperation add => $"add column {add.Column.Name}",
        DropColumnOperation drop => $"drop column {drop.Column.Name}",
        AlterPrimaryKeyOperation => "change the primary key",
        AlterColumnOperation alter => $"change column {alter.New.Name}",
        _ => operation.GetType().Name,
    };
}

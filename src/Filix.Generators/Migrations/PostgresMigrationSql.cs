using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;
using Filix.Generators.Sql;

namespace Filix.Generators.Migrations;

/// <summary>
/// Rewrites operations into Postgres statements for the shared upstream, which holds only the tables whose sync tag
/// is not <c>local</c>. Postgres's ALTER TABLE expresses every change, so nothing is rebuilt. Constraints Postgres
/// named itself (primary key, unique, foreign key) are found in pg_constraint by column rather than guessed by name,
/// because a renamed table keeps its old constraint names. Every rename runs first (<see cref="RenameSteps"/>), and
/// foreign keys are added after every table and column they may name exists, so cycles and any order apply.
/// </summary>
internal static class PostgresMigrationSql
{
    public static MigrationScript Generate(DomainSpec? recorded, DomainSpec desired, IReadOnlyList<MigrationOperation> operations)
    {
        var script = new MigrationScript();
        var wasShared = (recorded?.Tables ?? EquatableArray<TableSpec>.Empty).Where(t => t.Sync != SyncMode.Local).Select(t => t.Name).ToList();
        var isShared = desired.Tables.Where(t => t.Sync != SyncMode.Local).Select(t => t.Name).ToList();
        var renamedFrom = operations.OfType<RenameTableOperation>().ToDictionary(o => o.Table, o => o.OldName);
        bool SharedBoth(string table) => isShared.Contains(table) && wasShared.Contains(renamedFrom.TryGetValue(table, out var old) ? old : table);

        var names = new RecordedNames(operations);
        var renames = new RenameSteps(operations);
        foreach (var step in renames.Steps.Where(s => s.Table is null ? wasShared.Contains(s.Subject) && (s.To == RenameSteps.TempPrefix + s.Subject || SharedBoth(s.To)) : SharedBoth(s.Subject)))
        {
            script.Add(step.Sql);
        }

        foreach (var (_, sql) in renames.DroppedIndexes.Where(d => wasShared.Contains(d.Table)))
        {
            script.Add(sql);
        }

        // A dropped column's foreign key goes first: it may depend on a unique constraint this migration drops
        // before the column itself is dropped (a self-reference to a column that stops being unique: randomized seed
        // 204), and Postgres refuses to drop a constraint another one still depends on.
        foreach (var drop in operations.OfType<DropColumnOperation>().Where(d => d.Column.References is not null && SharedBoth(d.Table)))
        {
            script.Add(DropConstraint(drop.Table, "f", renames.DroppedColumn(drop.Table, drop.Column.Name)));
        }

        // Foreign keys come after every table and column they may name exists (new tables, added columns, a cycle).
        var foreignKeys = new List<string>();
        var keysAdded = false;
        var ordered = UpstreamOrder(operations).ToList();
        foreach (var operation in ordered)
        {
            if (!keysAdded && IsTableDrop(operation))
            {
                keysAdded = true;
                foreignKeys.ForEach(script.Add);
                DropCycleKeys(script, ordered, renames.DroppedTable);
            }

            var table = SqlDialect.Quote(operation.Table);
            switch (operation)
            {
                case RenameTableOperation or RenameColumnOperation:
                    break; // above, before everything
                case CreateTableOperation create when isShared.Contains(operation.Table):
                    MigrationStatements.CreateTable(script, create.Spec, SqlDialect.Postgres);
                    foreignKeys.AddRange(DdlBuilder.ForeignKeys(create.Spec));
                    break;
                case DropTableOperation when wasShared.Contains(operation.Table):
                    script.Add("DROP TABLE " + SqlDialect.Quote(renames.DroppedTable(operation.Table)));
                    break;
                case CreateTableOperation or DropTableOperation:
                    // A local table: never upstream. Its name may be one a shared table takes by a rename, so it must
                    // not fall through to the cases below, which go by the desired table of that name.
                    break;
                case ChangeSyncOperation change when change.CreatesUpstream:
                    MigrationStatements.CreateTable(script, change.New, SqlDialect.Postgres);
                    foreignKeys.AddRange(DdlBuilder.ForeignKeys(change.New));
                    break;
                case ChangeSyncOperation change when change.DropsUpstream:
                    script.Comment($"'{change.New.Name}' became local: it is no longer kept upstream.");
                    script.Add("DROP TABLE " + SqlDialect.Quote(renames.DroppedTable(renamedFrom.TryGetValue(change.Table, out var old) ? old : change.Table)));
                    break;
                case MigrationOperation when !SharedBoth(operation.Table):
                    break;
                case AlterColumnOperation alter:
                    AlterColumn(script, names, alter);
                    if (alter.New.References is not null && alter.ChangesReference)
                    {
                        foreignKeys.Add(DdlBuilder.AddForeignKey(alter.Table, alter.New));
                    }

                    break;
                case AlterPrimaryKeyOperation key:
                    MigrationStatements.UniqueCheck(script, names, key.Table, key.New, true, "primary key");
                    script.Add(DropConstraint(key.Table, "p", null));
                    script.Add($"ALTER TABLE {table} ADD PRIMARY KEY ({SqlDialect.ColumnList(key.New)})");
                    break;
                case DropColumnOperation drop:
                    script.Add($"ALTER TABLE {table} DROP COLUMN {SqlDialect.Quote(renames.DroppedColumn(drop.Table, drop.Column.Name))}");
                    break;
                case AddColumnOperation add:
                    MigrationStatements.TryAdd(script, desired, names, add, SqlDialect.Postgres);
                    if (add.Column.References is not null)
                    {
                        foreignKeys.Add(DdlBuilder.AddForeignKey(add.Table, add.Column));
                    }

                    break;
                default:
                    MigrationStatements.TryAdd(script, desired, names, operation, SqlDialect.Postgres);
                    break;
            }
        }

        if (!keysAdded)
        {
            foreignKeys.ForEach(script.Add);
        }

        return script;
    }

    /// <summary>
    /// Tables leave upstream children first, but in a cycle of dropped tables some table is still referenced by
    /// one dropped after it, which Postgres refuses: drop those keys first (by column, whatever their names).
    /// </summary>
    private static void DropCycleKeys(MigrationScript script, List<MigrationOperation> ordered, System.Func<string, string> storedName)
    {
        var dropped = ordered.Select(o => o switch
        {
            DropTableOperation drop => drop.Old,
            ChangeSyncOperation { DropsUpstream: true } change => change.Old,
            _ => null,
        }).OfType<TableSpec>().ToList();
        for (var i = 0; i < dropped.Count; i++)
        {
            var earlier = dropped.Take(i).Select(t => t.Name).ToList();
            foreach (var column in dropped[i].Columns.Where(c => c.References is { } r && earlier.Contains(r.Table)))
            {
                script.Add(DropConstraint(storedName(dropped[i].Name), "f", column.Name));
            }
        }
    }

    private static bool IsTableDrop(MigrationOperation operation) =>
        operation is DropTableOperation or ChangeSyncOperation { DropsUpstream: true };

    /// <summary>
    /// Upstream, a table that becomes shared is created and one that becomes local is dropped: they take the places
    /// of CREATE and DROP TABLE, and all creations go parents first and all drops children first, so every table a
    /// REFERENCES names exists when it is created, and no table is dropped while another still references it.
    /// </summary>
    private static IEnumerable<MigrationOperation> UpstreamOrder(IReadOnlyList<MigrationOperation> operations)
    {
        static TableSpec? Created(MigrationOperation op) => op switch
        {
            CreateTableOperation create => create.Spec,
            ChangeSyncOperation { CreatesUpstream: true } change => change.New,
            _ => null,
        };

        static TableSpec? Dropped(MigrationOperation op) => op switch
        {
            DropTableOperation drop => drop.Old,
            ChangeSyncOperation { DropsUpstream: true } change => change.Old,
            _ => null,
        };

        var created = TableOrder.ParentsFirst(operations.Select(Created).OfType<TableSpec>().ToList());
        var dropped = TableOrder.ParentsFirst(operations.Select(Dropped).OfType<TableSpec>().ToList());
        return operations
            .Select((op, i) => (op, i))
            .OrderBy(x => Created(x.op) is not null ? MigrationOperation.CreateTableRank
                : Dropped(x.op) is not null ? MigrationOperation.DropTableRank
                : x.op.Rank)
            .ThenBy(x => Created(x.op) is { } table ? created[table.Name] : Dropped(x.op) is { } old ? -dropped[old.Name] : 0)
            .ThenBy(x => x.i)
            .Select(x => x.op);
    }

    private static void AlterColumn(MigrationScript script, RecordedNames names, AlterColumnOperation alter)
    {
        var (old, now) = (alter.Old, alter.New);
        var table = SqlDialect.Quote(alter.Table);
        var column = SqlDialect.Quote(now.Name);
        var prefix = $"ALTER TABLE {table} ALTER COLUMN {column} ";
        if (old.References is not null && alter.ChangesReference)
        {
            script.Add(DropConstraint(alter.Table, "f", now.Name));
        }

        if (old.Unique && !now.Unique)
        {
            script.Add(DropConstraint(alter.Table, "u", now.Name));
        }

        if (old.Type != now.Type)
        {
            if (old.Default is not null)
            {
                script.Add(prefix + "DROP DEFAULT");
            }

            ColumnConversions.Check(script, alter.Table, now.Name, names.Table(alter.Table), old.Name, old.Type, now.Type, SqlDialect.Postgres);
            script.Add(prefix + $"TYPE {SqlDialect.Postgres.TypeName(now.Type)} USING {ColumnConversions.PostgresUsing(now.Name, old.Type, now.Type)}");
        }

        if (!Equals(old.Default, now.Default) || (old.Type != now.Type && now.Default is not null))
        {
            script.Add(prefix + (now.Default is { } value ? "SET DEFAULT " + SqlDialect.Postgres.DefaultExpression(now.Type, value) : "DROP DEFAULT"));
        }

        if (old.Nullable && !now.Nullable)
        {
            if (now.Default is { } value)
            {
                MigrationStatements.FillCheck(script, names, alter.Table, old, now, SqlDialect.Postgres);
                script.Add($"UPDATE {table} SET {column} = {SqlDialect.Postgres.DefaultExpression(now.Type, value)} WHERE {column} IS NULL");
            }
            else
            {
                script.Check(alter.Table, now.Name, "holds NULL, but it becomes NOT NULL without a default",
                    $"SELECT count(*) FROM {SqlDialect.Quote(names.Table(alter.Table))} WHERE {SqlDialect.Quote(old.Name)} IS NULL");
            }

            script.Add(prefix + "SET NOT NULL");
        }
        else if (!old.Nullable && now.Nullable)
        {
            script.Add(prefix + "DROP NOT NULL");
        }

        if (now.Unique && !old.Unique)
        {
            MigrationStatements.UniqueCheck(script, names, alter.Table, new[] { now.Name }, true);
            script.Add($"ALTER TABLE {table} ADD UNIQUE ({column})");
        }

        // A new or changed reference is added by the caller once every table and column exists.
    }

    /// <summary>Drops the primary key (<c>p</c>), or the unique (<c>u</c>) or foreign key (<c>f</c>) constraint
    /// on one column, whatever Postgres named it.</summary>
    private static string DropConstraint(string table, string kind, string? column)
    {
        var relation = SqlDialect.Literal(SqlDialect.Quote(table)) + "::regclass";
        var onColumn = column is null ? string.Empty
            : $" AND conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = {relation} AND attname = {SqlDialect.Literal(column)})]";
        return "DO $$ DECLARE n text; BEGIN\n" +
               $"    SELECT conname INTO n FROM pg_constraint WHERE conrelid = {relation} AND contype = '{kind}'{onColumn};\n" +
               $"    EXECUTE 'ALTER TABLE ' || {SqlDialect.Literal(SqlDialect.Quote(table))} || ' DROP CONSTRAINT ' || quote_ident(n);\n" +
               "END $$";
    }
}

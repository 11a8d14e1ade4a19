using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;
using Filix.Generators.Sql;

namespace Filix.Generators.Migrations;

/// <summary>
/// Rewrites operations into Postgres statements for the shared upstream, which holds only the tables whose sync tag
/// is not <c>local</c>. Postgres's ALTER TABLE expresses every change, so nothing is rebuilt. Constraints Postgres
/// named itself (primary key, unique, foreign key) are found in pg_constraint by column rather than guessed by name,
/// because a renamed table keeps its old constraint names.
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
        foreach (var operation in UpstreamOrder(operations))
        {
            var table = SqlDialect.Quote(operation.Table);
            switch (operation)
            {
                case CreateTableOperation when isShared.Contains(operation.Table):
                case DropTableOperation when wasShared.Contains(operation.Table):
                    MigrationStatements.TryAdd(script, desired, names, operation, SqlDialect.Postgres);
                    break;
                case ChangeSyncOperation change when change.CreatesUpstream:
                    MigrationStatements.CreateTable(script, change.New, SqlDialect.Postgres);
                    break;
                case ChangeSyncOperation change when change.DropsUpstream:
                    script.Comment($"'{change.New.Name}' became local: it is no longer kept upstream.");
                    script.Add("DROP TABLE " + SqlDialect.Quote(renamedFrom.TryGetValue(change.Table, out var old) ? old : change.Table));
                    break;
                case MigrationOperation when !SharedBoth(operation.Table):
                    break;
                case AlterColumnOperation alter:
                    AlterColumn(script, names, alter);
                    break;
                case AlterPrimaryKeyOperation key:
                    MigrationStatements.UniqueCheck(script, names, key.Table, key.New, true, "primary key");
                    script.Add(DropConstraint(key.Table, "p", null));
                    script.Add($"ALTER TABLE {table} ADD PRIMARY KEY ({SqlDialect.ColumnList(key.New)})");
                    break;
                default:
                    MigrationStatements.TryAdd(script, desired, names, operation, SqlDialect.Postgres);
                    break;
            }
        }

        return script;
    }

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
        if (old.References is not null && !Equals(old.References, now.References))
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

        if (now.References is { } reference && !Equals(old.References, now.References))
        {
            script.Add($"ALTER TABLE {table} ADD FOREIGN KEY ({column}) REFERENCES {SqlDialect.Quote(reference.Table)} ({SqlDialect.Quote(reference.Column)}){SqlDialect.Postgres.ForeignKeyOptions}");
        }
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

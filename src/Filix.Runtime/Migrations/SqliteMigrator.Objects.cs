using Filix.Runtime.Sqlite;
using Filix.Runtime.Sync.Local;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Migrations;

// Views and triggers across a migration, as SQLite's own procedure for table changes does it
// (https://sqlite.org/lang_altertable.html#otheralter, steps 3 and 11): a migration file starts with its renames,
// which SQLite applies to the views and triggers that mention the renamed table or column. Before the first other
// statement, every view and trigger is set aside (its SQL saved, the object dropped), because a table rebuild
// drops the table they depend on, and SQLite refuses to rename a table while a view fails to compile. After the
// migration's last statement each one is created again, unless the migration made one of that name itself.
internal static partial class SqliteMigrator
{
    private sealed record SchemaObject(string Type, string Name, string Table, string Sql)
    {
        public override string ToString() => $"{Type} \"{Name}\"";
    }

    /// <summary>What was set aside before a migration's first statement that is not a rename, and the tables
    /// there were then (to tell a view whose table the migration dropped from one that no longer compiles).</summary>
    private sealed record SetAside(List<SchemaObject> Objects, HashSet<string> Tables);

    private static SetAside SetAsideViewsAndTriggers(SqliteSession writer)
    {
        // Capture's triggers are dropped and not put back: the install after the migrations creates this build's
        // (a rebuilt or renamed table's, or none for a table no longer shared), and a trigger naming a column the
        // migration drops would otherwise fail the migration with advice meant for the user's own objects.
        foreach (var name in Query(writer.Connection, $"SELECT name FROM sqlite_schema WHERE type = 'trigger' AND {CaptureInstall.IsCaptureSql("name")}"))
        {
            writer.Execute($"DROP TRIGGER IF EXISTS {SqlNames.Quote(name[0])}");
        }

        var objects = ViewsAndTriggers(writer);
        foreach (var item in objects)
        {
            writer.Execute($"DROP {item.Type.ToUpperInvariant()} IF EXISTS \"{item.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
        }

        return new SetAside(objects, UserTables(writer).ToHashSet(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Creates each view and trigger set aside again, in creation order. One whose table the migration
    /// dropped is left out and named in <paramref name="removed"/>; one that no longer compiles (it mentions a
    /// dropped column) fails the migration, before COMMIT.</summary>
    private static void PutBack(SqliteSession writer, SetAside aside, Migration migration, string path, List<string> removed)
    {
        var present = ViewsAndTriggers(writer).Select(o => o.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var tables = UserTables(writer).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var gone = aside.Tables.Where(t => !tables.Contains(t)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var item in aside.Objects.Where(o => !present.Contains(o.Name)))
        {
            // A trigger is on a table, or (INSTEAD OF) on a view, which was put back before it if it is one.
            if (item.Type == "trigger" && !tables.Contains(item.Table) && !IsView(writer, item.Table))
            {
                removed.Add($"{item} of {migration} was not recreated: its table \"{item.Table}\" was dropped");
                gone.Add(item.Name);
                continue;
            }

            var error = Create(writer, item);
            if (error is null)
            {
                continue;
            }

            if (item.Type == "view" && gone.FirstOrDefault(t => error.Contains($"no such table: main.{t}", StringComparison.OrdinalIgnoreCase)) is { } table)
            {
                writer.Execute($"DROP VIEW IF EXISTS \"{item.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
                removed.Add($"{item} of {migration} was not recreated: the table \"{table}\" it reads was dropped");
                gone.Add(item.Name);
                continue;
            }

            throw new FilixException(
                $"Migration {migration} cannot be applied to '{path}': the {item} no longer works after it (SQLite: {error}). Nothing was changed. " +
                $"The {item.Type} is not part of the Filix schema: change it or drop it (DROP {item.Type.ToUpperInvariant()} \"{item.Name}\"), then open the database again.",
                path);
        }
    }

    /// <summary>The self-check's part for objects outside the schema: every view and trigger the file had before
    /// the run exists after it, unless the run reported it removed with its table.</summary>
    private static void CheckViewsAndTriggers(SqliteSession writer, string path, List<Migration> applied, List<SchemaObject> before, List<string> removed)
    {
        var after = ViewsAndTriggers(writer).Select(o => o.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var lost = before.Where(o => !after.Contains(o.Name) && !removed.Any(r => r.StartsWith(o + " ", StringComparison.Ordinal))).ToList();
        if (lost.Count > 0)
        {
            throw new FilixException(
                $"Migrations {string.Join(", ", applied)} ran on '{path}' but would lose the {string.Join(", ", lost)}. Nothing was changed (the transaction was rolled back). " +
                $"This is a fault in the recorded migration: report it with the files of the migrations folder, and keep using the previous build until it is fixed.",
                path);
        }
    }

    /// <summary>Creates <paramref name="item"/> and proves it compiles, or returns SQLite's error. CREATE VIEW and
    /// CREATE TRIGGER do not resolve the names in their body; renaming a table does, for every view and trigger
    /// of the schema, so renaming a scratch table is the check (it reports "error in view v: no such column: c").</summary>
    private static string? Create(SqliteSession writer, SchemaObject item)
    {
        try
        {
            writer.Execute(item.Sql);
            writer.Execute("CREATE TABLE \"_filix_probe\" (\"x\")");
            writer.Execute("ALTER TABLE \"_filix_probe\" RENAME TO \"_filix_probe_renamed\"");
            writer.Execute("DROP TABLE \"_filix_probe_renamed\"");
            return null;
        }
        catch (SqliteException ex)
        {
            writer.Execute("DROP TABLE IF EXISTS \"_filix_probe\"");
            return SqliteStatements.Reason(ex);
        }
    }

    private static bool IsView(SqliteSession session, string name)
    {
        var command = session.Command("SELECT count(*) FROM sqlite_schema WHERE type = 'view' AND name = $p0 COLLATE NOCASE", 1);
        command.Parameters[0].Value = name;
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>The views and triggers of the file, in creation order (sqlite_schema's rowid), without capture's own:
    /// those are installed by CaptureInstall after the migrations and checked by the self-check.</summary>
    private static List<SchemaObject> ViewsAndTriggers(SqliteSession session)
    {
        var objects = new List<SchemaObject>();
        using var command = session.Connection.CreateCommand();
        command.CommandText = $"SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL AND NOT {CaptureInstall.IsCaptureSql("name")} ORDER BY rowid";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            objects.Add(new SchemaObject(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return objects;
    }
}

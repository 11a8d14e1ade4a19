namespace Filix.Migrations.Tests.Randomized;

/// <summary>
/// Random YAML edits on the harness's schema model, each kept valid for the schema language (references to a key
/// or unique column of the same type, the sync reference rule, key columns not nullable, no index on the columns
/// of another index, key or key prefix), so that what the build says is about the migration, not the file. Each
/// edit returns a short description for the failure message, or null when it does not apply to this schema.
/// </summary>
internal static class RandomEdits
{
    private static readonly string[] TableNames = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "order", "group"];

    private static readonly string[] ColumnNames =
        ["name", "title", "order", "group", "select", "from", "kind", "score", "price", "notes", "flag", "born", "at", "day", "doc", "uid", "label", "code", "class", "ref", "value"];

    private static readonly FieldType[] ColumnTypes =
        [FieldType.Text, FieldType.Text, FieldType.Text, FieldType.Integer, FieldType.Integer, FieldType.Real, FieldType.Boolean, FieldType.Blob,
         FieldType.Timestamp, FieldType.Date, FieldType.Json, FieldType.Uuid];

    private static readonly FieldType[] KeyTypes = [FieldType.Integer, FieldType.Text, FieldType.Uuid];

    /// <summary>Edit kinds left out (<c>FILIX_RANDOM_AVOID</c>, comma-separated kind names, plus <c>forward</c>
    /// for references to tables declared later): to look past a known defect while it is being fixed. Empty by default.</summary>
    private static readonly HashSet<string> Avoid =
        (Environment.GetEnvironmentVariable("FILIX_RANDOM_AVOID") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    private delegate string? Edit(Random rng, RSchema schema);

    private static readonly (string Name, int Weight, Edit Apply)[] Kinds =
    [
        ("add table", 2, AddTable),
        ("drop table", 1, DropTable),
        ("rename table", 2, RenameTable),
        ("add column", 4, AddColumn),
        ("drop column", 2, DropColumn),
        ("rename column", 3, RenameColumn),
        ("retype", 4, Retype),
        ("nullability", 3, Nullability),
        ("default", 2, ChangeDefault),
        ("unique", 2, ToggleUnique),
        ("index", 3, ChangeIndex),
        ("primary key", 2, ChangeKey),
        ("reference", 2, ChangeReference),
        ("sync", 2, ChangeSync),
        ("reorder", 2, Reorder),
        ("swap columns", 1, SwapColumns),
        ("swap tables", 1, SwapTables),
        ("replace columns", 1, ReplaceColumns),
        ("exchange columns", 1, ExchangeColumns),
        ("exchange tables", 1, ExchangeTables),
    ];

    /// <summary>Applies one random edit that fits the schema; returns its description.</summary>
    public static string ApplyOne(Random rng, RSchema schema)
    {
        var kinds = Kinds.Where(k => !Avoid.Contains(k.Name)).ToList();
        var total = kinds.Sum(k => k.Weight);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var pick = rng.Next(total);
            var kind = kinds.First(k => (pick -= k.Weight) < 0);
            if (kind.Apply(rng, schema) is { } description)
            {
                return description;
            }
        }

        return AddColumn(rng, schema) ?? AddTable(rng, schema)!;
    }

    public static string? AddTable(Random rng, RSchema schema)
    {
        var name = TableNames.Where(n => schema.Tables.All(t => t.Name != n) && !schema.Retired.Contains(n)).OrderBy(_ => rng.Next()).FirstOrDefault();
        if (name is null)
        {
            return null;
        }

        var table = new RTable { Id = schema.NextId++, Name = name, Sync = Pick(rng, [SyncTag.Sync, SyncTag.Sync, SyncTag.Local, SyncTag.Optional]) };
        if (rng.Next(5) == 0)
        {
            var a = new RColumn { Id = schema.NextId++, Name = "tenant", Type = FieldType.Text };
            var b = new RColumn { Id = schema.NextId++, Name = "seq", Type = FieldType.Integer };
            table.Columns.AddRange([a, b]);
            table.PrimaryKey = [a.Id, b.Id];
        }
        else
        {
            var id = new RColumn { Id = schema.NextId++, Name = "id", Type = Pick(rng, KeyTypes) };
            table.Columns.Add(id);
            table.PrimaryKey = [id.Id];
        }

        schema.Tables.Insert(Avoid.Contains("forward") ? schema.Tables.Count : rng.Next(schema.Tables.Count + 1), table);
        for (var i = rng.Next(1, 4); i > 0; i--)
        {
            AddColumnTo(rng, schema, table, allowRequired: true);
        }

        return $"add table {name}";
    }

    private static string? DropTable(Random rng, RSchema schema)
    {
        var table = schema.Tables.Where(t => !schema.ReferencesTo(t.Id).Any(r => r.Table.Id != t.Id)).OrderBy(_ => rng.Next()).FirstOrDefault();
        if (table is null || schema.Tables.Count < 2)
        {
            return null;
        }

        schema.Tables.Remove(table);
        schema.Retired.Add(table.Name);
        return $"drop table {table.Name}";
    }

    private static string? RenameTable(Random rng, RSchema schema)
    {
        if (schema.Tables.Count == 0)
        {
            return null;
        }

        var table = Pick(rng, schema.Tables);
        var name = TableNames.Where(n => schema.Tables.All(t => t.Name != n) && !(schema.IsNew(table.Id) && schema.Retired.Contains(n))).OrderBy(_ => rng.Next()).FirstOrDefault();
        if (name is null)
        {
            return null;
        }

        var old = table.Name;
        Vacate(schema, table.Id, old);
        table.Name = name;
        return $"rename table {old} -> {name}";
    }

    private static string? AddColumn(Random rng, RSchema schema)
    {
        if (schema.Tables.Count == 0)
        {
            return null;
        }

        var table = Pick(rng, schema.Tables);
        if (AddColumnTo(rng, schema, table, allowRequired: rng.Next(3) == 0) is not { } column)
        {
            return null;
        }

        // Sometimes indexed in the same edit: statements after an ADD COLUMN must run too (defect 5's case).
        if (rng.Next(3) == 0 && column.Type != FieldType.Blob && IndexAllowed(table, [column.Id]))
        {
            var unique = rng.Next(2) == 0;
            table.Indexes.Add(new RIndex { Columns = [column.Id], Unique = unique });
            return $"add column {table.Name}.{column.Name} with a{(unique ? " unique" : "n")} index";
        }

        return $"add column {table.Name}.{column.Name}";
    }

    private static RColumn? AddColumnTo(Random rng, RSchema schema, RTable table, bool allowRequired)
    {
        var name = ColumnNames.Where(n => table.Columns.All(c => c.Name != n) && !schema.Retired.Contains($"{table.Id}.{n}")).OrderBy(_ => rng.Next()).FirstOrDefault();
        if (name is null)
        {
            return null;
        }

        var column = new RColumn { Id = schema.NextId++, Name = name, Type = Pick(rng, ColumnTypes), Nullable = rng.Next(2) == 0 };
        if (rng.Next(4) == 0 && Targets(schema, table).OrderBy(_ => rng.Next()).FirstOrDefault() is { Table: not null } target)
        {
            column.Type = target.Column.Type;
            column.References = (target.Table.Id, target.Column.Id);
        }
        else
        {
            if (column.Type != FieldType.Blob && rng.Next(2) == 0)
            {
                column.Default = Pick(rng, Values.Defaults[column.Type]);
            }

            column.Unique = column.Type is not (FieldType.Boolean or FieldType.Blob) && rng.Next(6) == 0;
        }

        if (!allowRequired && !column.Nullable && column.Default is null)
        {
            column.Nullable = true;
        }

        table.Columns.Insert(rng.Next(table.PrimaryKey.Count, table.Columns.Count + 1), column);
        return column;
    }

    private static string? DropColumn(Random rng, RSchema schema)
    {
        var (table, column) = PickColumn(rng, schema, (t, c) => !t.PrimaryKey.Contains(c.Id) && !schema.ReferencesTo(t.Id, c.Id).Any());
        if (table is null)
        {
            return null;
        }

        Remove(table, column!);
        schema.Retired.Add($"{table.Id}.{column!.Name}");
        return $"drop column {table.Name}.{column!.Name}";
    }

    private static void Remove(RTable table, RColumn column)
    {
        table.Columns.Remove(column);
        table.Indexes.RemoveAll(i => i.Columns.Contains(column.Id));
    }

    private static string? RenameColumn(Random rng, RSchema schema)
    {
        var (table, column) = PickColumn(rng, schema, (_, _) => true);
        var name = table is null ? null : ColumnNames.Where(n => table.Columns.All(c => c.Name != n) && !(schema.IsNew(column!.Id) && schema.Retired.Contains($"{table.Id}.{n}")))
            .OrderBy(_ => rng.Next()).FirstOrDefault();
        if (name is null)
        {
            return null;
        }

        var old = column!.Name;
        Vacate(schema, column.Id, $"{table!.Id}.{old}");
        column.Name = name;
        return $"rename column {table!.Name}.{old} -> {name}";
    }

    private static string? Retype(Random rng, RSchema schema)
    {
        var (table, column) = PickColumn(rng, schema, (t, c) => !t.PrimaryKey.Contains(c.Id) && c.References is null && !schema.ReferencesTo(t.Id, c.Id).Any()
            && Values.Retypes.Any(r => r.From == c.Type) && !schema.Retyped.Contains(c.Id));
        if (table is null)
        {
            return null;
        }

        var from = column!.Type;
        schema.Retyped.Add(column.Id);
        var to = Pick(rng, Values.Retypes.Where(r => r.From == from).Select(r => r.To).ToList());
        column.Type = to;
        if (column.Default is { } value)
        {
            column.Default = to == FieldType.Blob || !Values.TryConvert(from, to, value, postgres: true, out var converted) ? null
                : to == FieldType.Real || to == FieldType.Integer ? converted
                : Values.Defaults[to].Contains(converted) || to == FieldType.Text ? converted : Pick(rng, Values.Defaults[to]);
        }

        if (to is FieldType.Boolean or FieldType.Blob)
        {
            column.Unique = false;
            table.Indexes.RemoveAll(i => i.Columns.Contains(column.Id) && to == FieldType.Blob);
        }

        return $"retype {table.Name}.{column.Name} {from} -> {to}".ToLowerInvariant();
    }

    private static string? Nullability(Random rng, RSchema schema)
    {
        var (table, column) = PickColumn(rng, schema, (t, c) => !t.PrimaryKey.Contains(c.Id));
        if (table is null)
        {
            return null;
        }

        column!.Nullable = !column.Nullable;
        if (!column.Nullable && column.Default is null && column.Type != FieldType.Blob && rng.Next(2) == 0)
        {
            column.Default = Pick(rng, Values.Defaults[column.Type]);
        }

        return $"{table.Name}.{column.Name} {(column.Nullable ? "nullable" : "NOT NULL")}{(column.Nullable || column.Default is null ? "" : " default " + column.Default)}";
    }

    private static string? ChangeDefault(Random rng, RSchema schema)
    {
        var (table, column) = PickColumn(rng, schema, (_, c) => c.Type != FieldType.Blob);
        if (table is null)
        {
            return null;
        }

        column!.Default = column.Default is not null && rng.Next(2) == 0 ? null : Pick(rng, Values.Defaults[column.Type]);
        return $"default {table.Name}.{column.Name} = {column.Default ?? "(none)"}";
    }

    private static string? ToggleUnique(Random rng, RSchema schema)
    {
        var (table, column) = PickColumn(rng, schema, (t, c) => !t.PrimaryKey.Contains(c.Id) && c.Type is not (FieldType.Boolean or FieldType.Blob)
            && !(c.Unique && schema.ReferencesTo(t.Id, c.Id).Any()) && !t.Indexes.Any(i => i.Columns.Count == 1 && i.Columns[0] == c.Id));
        if (table is null)
        {
            return null;
        }

        column!.Unique = !column.Unique;
        return $"{table.Name}.{column.Name} unique: {column.Unique}".ToLowerInvariant();
    }

    private static string? ChangeIndex(Random rng, RSchema schema)
    {
        if (schema.Tables.Count == 0)
        {
            return null;
        }

        var table = Pick(rng, schema.Tables);
        if (table.Indexes.Count > 0 && rng.Next(3) == 0)
        {
            var index = Pick(rng, table.Indexes);
            table.Indexes.Remove(index);
            return $"drop index {table.Name}({Names(table, index.Columns)})";
        }

        var candidates = table.Columns.Where(c => c.Type != FieldType.Blob).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var columns = candidates.OrderBy(_ => rng.Next()).Take(rng.Next(1, 3)).Select(c => c.Id).ToList();
        if (!IndexAllowed(table, columns))
        {
            return null;
        }

        var unique = rng.Next(5) < 2;
        table.Indexes.Add(new RIndex { Columns = columns, Unique = unique });
        return $"{(unique ? "unique " : "")}index {table.Name}({Names(table, columns)})";
    }

    /// <summary>An index must not repeat the columns of another index, the key or a key prefix (each gives the
    /// repository a lookup of the same name), nor a unique column alone.</summary>
    private static bool IndexAllowed(RTable table, List<int> columns) =>
        !table.Indexes.Any(i => i.Columns.SequenceEqual(columns))
        && !Enumerable.Range(1, table.PrimaryKey.Count).Any(n => table.PrimaryKey.Take(n).SequenceEqual(columns))
        && !(columns.Count == 1 && table.Column(columns[0]).Unique);

    private static string? ChangeKey(Random rng, RSchema schema)
    {
        var table = schema.Tables.Where(t => !schema.ReferencesTo(t.Id).Any()).OrderBy(_ => rng.Next()).FirstOrDefault();
        var candidates = table?.Columns.Where(c => !c.Nullable && !c.Unique && c.Type is FieldType.Text or FieldType.Integer or FieldType.Uuid or FieldType.Date).ToList();
        if (table is null || candidates!.Count == 0)
        {
            return null;
        }

        var key = candidates.OrderBy(_ => rng.Next()).Take(rng.Next(1, 3)).Select(c => c.Id).ToList();
        if (key.SequenceEqual(table.PrimaryKey))
        {
            return null;
        }

        table.PrimaryKey = key;
        table.Indexes.RemoveAll(i => Enumerable.Range(1, key.Count).Any(n => key.Take(n).SequenceEqual(i.Columns)));
        return $"primary key {table.Name} ({Names(table, key)})";
    }

    private static string? ChangeReference(Random rng, RSchema schema)
    {
        var (table, column) = PickColumn(rng, schema, (t, c) => c.References is not null || (!schema.ReferencesTo(t.Id, c.Id).Any() && Targets(schema, t).Any(x => x.Column.Type == c.Type)));
        if (table is null)
        {
            return null;
        }

        if (column!.References is not null)
        {
            column.References = null;
            return $"{table.Name}.{column.Name} references nothing";
        }

        var targets = Targets(schema, table).Where(x => x.Column.Type == column.Type && x.Column.Id != column.Id).ToList();
        if (targets.Count == 0)
        {
            return null;
        }

        var target = Pick(rng, targets);
        column.References = (target.Table.Id, target.Column.Id);
        column.Unique = column.Unique && column.Type is not (FieldType.Boolean or FieldType.Blob);
        return $"{table.Name}.{column.Name} references {target.Table.Name}.{target.Column.Name}";
    }

    private static string? ChangeSync(Random rng, RSchema schema)
    {
        if (schema.Tables.Count == 0)
        {
            return null;
        }

        var table = Pick(rng, schema.Tables);
        var tag = Pick(rng, Enum.GetValues<SyncTag>().Where(s => s != table.Sync).ToList());

        // The reference rule: a table references only tables shared at least as widely.
        var outgoing = table.Columns.Where(c => c.References is { } r && r.Table != table.Id).Select(c => schema.Table(c.References!.Value.Table).Sync);
        var incoming = schema.ReferencesTo(table.Id).Where(r => r.Table.Id != table.Id).Select(r => r.Table.Sync);
        if (outgoing.Any(s => s < tag) || incoming.Any(s => s > tag))
        {
            return null;
        }

        var old = table.Sync;
        table.Sync = tag;
        return $"sync {table.Name} {old} -> {tag}".ToLowerInvariant();
    }

    private static string? Reorder(Random rng, RSchema schema)
    {
        if (rng.Next(2) == 0 && schema.Tables.Count > 1)
        {
            schema.Tables = schema.Tables.OrderBy(_ => rng.Next()).ToList();
            return "reorder tables: " + string.Join(", ", schema.Tables.Select(t => t.Name));
        }

        var table = schema.Tables.Where(t => t.Columns.Count > 1).OrderBy(_ => rng.Next()).FirstOrDefault();
        if (table is null)
        {
            return null;
        }

        table.Columns = table.Columns.OrderBy(_ => rng.Next()).ToList();
        return $"reorder columns of {table.Name}: " + string.Join(", ", table.Columns.Select(c => c.Name));
    }

    /// <summary>Every column of a table replaced by new ones, key included: a rebuild where no old column survives
    /// (defect 8's case).</summary>
    private static string? ReplaceColumns(Random rng, RSchema schema)
    {
        var table = schema.Tables.Where(t => !schema.ReferencesTo(t.Id).Any()).OrderBy(_ => rng.Next()).FirstOrDefault();
        if (table is null)
        {
            return null;
        }

        var old = table.Columns.Select(c => c.Name).ToHashSet();
        if (old.Contains("key"))
        {
            return null;
        }

        schema.Retired.UnionWith(old.Select(n => $"{table.Id}.{n}"));
        var key = new RColumn { Id = schema.NextId++, Name = "key", Type = Pick(rng, KeyTypes), Default = null };
        table.Columns = [key];
        table.PrimaryKey = [key.Id];
        table.Indexes.Clear();
        AddColumnTo(rng, schema, table, allowRequired: false);
        return $"replace the columns of {table.Name} ({string.Join(", ", old)}) by {string.Join(", ", table.Columns.Select(c => c.Name))}";
    }

    /// <summary>Drop column a and rename column b to a in one edit (defect 6's case).</summary>
    private static string? SwapColumns(Random rng, RSchema schema)
    {
        var (table, dropped) = PickColumn(rng, schema, (t, c) => !t.PrimaryKey.Contains(c.Id) && !schema.ReferencesTo(t.Id, c.Id).Any() && t.Columns.Count > 2);
        if (table is null)
        {
            return null;
        }

        // The renamed column must be a recorded one: a new one has no renamed_from, so under the dropped name it
        // would be the recorded column.
        var recorded = table.Columns.Where(c => c.Id != dropped!.Id && !schema.IsNew(c.Id)).ToList();
        if (recorded.Count == 0)
        {
            return null;
        }

        var renamed = Pick(rng, recorded);
        var old = renamed.Name;
        Vacate(schema, renamed.Id, $"{table.Id}.{old}");
        Remove(table, dropped!);
        schema.Retired.Add($"{table.Id}.{dropped!.Name}");
        renamed.Name = dropped!.Name;
        return $"drop {table.Name}.{dropped.Name} and rename {old} -> {dropped.Name}";
    }

    /// <summary>Drop table a and rename table b to a in one edit (defect 6 at table level).</summary>
    private static string? SwapTables(Random rng, RSchema schema)
    {
        var dropped = schema.Tables.Where(t => !schema.ReferencesTo(t.Id).Any(r => r.Table.Id != t.Id)).OrderBy(_ => rng.Next()).FirstOrDefault();
        var recorded = schema.Tables.Where(t => t.Id != dropped?.Id && !schema.IsNew(t.Id)).ToList();
        if (dropped is null || recorded.Count == 0)
        {
            return null;
        }

        // As for columns: only a recorded table can take the dropped one's name by a rename.
        var renamed = Pick(rng, recorded);
        var old = renamed.Name;
        Vacate(schema, renamed.Id, old);
        schema.Tables.Remove(dropped);
        schema.Retired.Add(dropped.Name);
        renamed.Name = dropped.Name;
        return $"drop table {dropped.Name} and rename {old} -> {dropped.Name}";
    }

    /// <summary>Two recorded columns of a table exchange names in one edit (a -> b, b -> a): each keeps its values
    /// under the other's name, through the temporary names of <c>RenameSteps</c>.</summary>
    private static string? ExchangeColumns(Random rng, RSchema schema)
    {
        var table = schema.Tables.Where(t => t.Columns.Count(c => !schema.IsNew(c.Id)) > 1).OrderBy(_ => rng.Next()).FirstOrDefault();
        if (table is null)
        {
            return null;
        }

        var pair = table.Columns.Where(c => !schema.IsNew(c.Id)).OrderBy(_ => rng.Next()).Take(2).ToList();
        (pair[0].Name, pair[1].Name) = (pair[1].Name, pair[0].Name);
        Vacate(schema, pair[0].Id, $"{table.Id}.{pair[0].Name}");
        Vacate(schema, pair[1].Id, $"{table.Id}.{pair[1].Name}");
        return $"exchange the names of {table.Name}.{pair[1].Name} and {table.Name}.{pair[0].Name}";
    }

    /// <summary>Two recorded tables exchange names in one edit; every reference follows its table.</summary>
    private static string? ExchangeTables(Random rng, RSchema schema)
    {
        var pair = schema.Tables.Where(t => !schema.IsNew(t.Id)).OrderBy(_ => rng.Next()).Take(2).ToList();
        if (pair.Count < 2)
        {
            return null;
        }

        (pair[0].Name, pair[1].Name) = (pair[1].Name, pair[0].Name);
        Vacate(schema, pair[0].Id, pair[0].Name);
        Vacate(schema, pair[1].Id, pair[1].Name);
        return $"exchange the names of tables {pair[1].Name} and {pair[0].Name}";
    }

    /// <summary>Columns a column of <paramref name="from"/> may reference: single-column keys and unique columns of
    /// tables shared at least as widely.</summary>
    private static IEnumerable<(RTable Table, RColumn Column)> Targets(RSchema schema, RTable from) =>
        schema.Tables.Where(t => (t.Sync >= from.Sync || t.Id == from.Id)
                && !(Avoid.Contains("forward") && schema.Tables.IndexOf(t) > schema.Tables.IndexOf(from)))
            .SelectMany(t => t.Columns.Where(c => (t.PrimaryKey.Count == 1 && t.PrimaryKey[0] == c.Id) || c.Unique).Select(c => (t, c)));

    /// <summary>A recorded element renamed away leaves its name to renames only (see <see cref="RSchema.Retired"/>).</summary>
    private static void Vacate(RSchema schema, int id, string name)
    {
        if (!schema.IsNew(id))
        {
            schema.Retired.Add(name);
        }
    }

    private static (RTable? Table, RColumn? Column) PickColumn(Random rng, RSchema schema, Func<RTable, RColumn, bool> where)
    {
        var all = schema.Tables.SelectMany(t => t.Columns.Where(c => where(t, c)).Select(c => (t, c))).ToList();
        return all.Count == 0 ? (null, null) : Pick(rng, all);
    }

    private static string Names(RTable table, IEnumerable<int> columns) => string.Join(", ", columns.Select(c => table.Column(c).Name));

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];
}

using System.Data.Common;

namespace Filix.Migrations.Tests.Randomized;

/// <summary>Something the rows of the recorded database make impossible to carry into the new schema: the
/// migration must be refused before anything changes, naming the table and (but for a dangling reference) the column.
/// Names are given as they are before and after the migration; the message may use either.</summary>
internal sealed record Problem(string[] Tables, string[] Columns, string What, bool Reference = false)
{
    public override string ToString() => $"{Tables[0]}.{string.Join(",", Columns.Take(1))}: {What}";
}

/// <summary>
/// The rows a database of one dialect must hold, by table id and column id: what was inserted, carried through every
/// migration as the edit promises (renamed columns keep their values, dropped ones lose them, added ones take their
/// default or NULL, retyped ones convert, NOT NULL with a default fills NULLs). The Postgres upstream holds only the
/// shared tables, and a table that becomes shared starts empty there.
/// </summary>
internal sealed class RowModel(bool postgres)
{
    public bool Postgres { get; } = postgres;

    public Dictionary<int, List<Dictionary<int, string?>>> Rows { get; } = [];

    public bool Holds(RTable table) => !Postgres || table.Shared;

    public List<Dictionary<int, string?>> Of(RTable table) => Rows.TryGetValue(table.Id, out var rows) ? rows : Rows[table.Id] = [];

    /// <summary>The rows after migrating from <paramref name="before"/> to <paramref name="after"/>, and what makes
    /// that migration impossible (empty when it must apply).</summary>
    public (RowModel Next, List<Problem> Problems) Project(RSchema before, RSchema after)
    {
        var next = new RowModel(Postgres);
        var problems = new List<Problem>();
        foreach (var table in after.Tables.Where(Holds))
        {
            var rows = next.Of(table);
            var old = before.TableOrNull(table.Id);
            if (old is null || !Holds(old))
            {
                continue;
            }

            foreach (var row in Of(old))
            {
                var projected = new Dictionary<int, string?>();
                foreach (var column in table.Columns)
                {
                    var source = old.ColumnOrNull(column.Id);
                    var value = source is null ? column.Default : row[column.Id];
                    if (source is not null && value is not null)
                    {
                        if (Values.TryConvert(source.Type, column.Type, value, Postgres, out var converted))
                        {
                            value = converted;
                        }
                        else
                        {
                            Add(problems, new Problem([table.Name, old.Name], [column.Name, source.Name],
                                $"value '{value}' does not convert from {source.Type} to {column.Type}".ToLowerInvariant()));
                        }
                    }

                    if (value is null && source is { Nullable: true } && !column.Nullable && column.Default is not null)
                    {
                        value = column.Default;
                    }

                    projected[column.Id] = value;
                }

                rows.Add(projected);
            }
        }

        foreach (var violation in next.Violations(after, before))
        {
            Add(problems, violation);
        }

        return (next, problems);
    }

    private static void Add(List<Problem> problems, Problem problem)
    {
        if (!problems.Any(p => p.Tables[0] == problem.Tables[0] && p.Columns.SequenceEqual(problem.Columns) && p.Reference == problem.Reference))
        {
            problems.Add(problem);
        }
    }

    /// <summary>Rows that break a constraint of <paramref name="schema"/>: NULL in a NOT NULL column, duplicate keys
    /// or unique values (NULLs are distinct, as SQL's UNIQUE says), references to missing rows.</summary>
    private IEnumerable<Problem> Violations(RSchema schema, RSchema before)
    {
        foreach (var table in schema.Tables.Where(Holds))
        {
            var rows = Of(table);
            string[] Names(RTable t, IEnumerable<int> ids) =>
                ids.SelectMany(id => new[] { t.Column(id).Name, before.TableOrNull(t.Id)?.ColumnOrNull(id)?.Name }).OfType<string>().ToArray();
            var tables = new[] { table.Name, before.TableOrNull(table.Id)?.Name ?? table.Name };
            foreach (var column in table.Columns.Where(c => !c.Nullable && rows.Any(r => r[c.Id] is null)))
            {
                yield return new Problem(tables, Names(table, [column.Id]), $"NULL in NOT NULL column {column.Name}");
            }

            var uniques = new List<List<int>> { table.PrimaryKey };
            uniques.AddRange(table.Columns.Where(c => c.Unique).Select(c => new List<int> { c.Id }));
            uniques.AddRange(table.Indexes.Where(i => i.Unique).Select(i => i.Columns));
            foreach (var key in uniques.Where(k => Duplicates(rows, k)))
            {
                yield return new Problem(tables, Names(table, key), $"duplicate values in ({string.Join(", ", key.Select(k => table.Column(k).Name))})");
            }

            foreach (var column in table.Columns.Where(c => c.References is not null))
            {
                var (targetTable, targetColumn) = column.References!.Value;
                var target = schema.Table(targetTable);
                var present = Of(target).Select(r => r[targetColumn]).ToHashSet();
                if (rows.Any(r => r[column.Id] is { } v && !present.Contains(v)))
                {
                    yield return new Problem(tables, Names(table, [column.Id]), $"{column.Name} points at missing rows of {target.Name}", Reference: true);
                }
            }
        }
    }

    private static bool Duplicates(List<Dictionary<int, string?>> rows, List<int> key) =>
        rows.Where(r => key.All(k => r[k] is not null)).GroupBy(r => string.Join("\u0001", key.Select(k => r[k]))).Any(g => g.Count() > 1);

    /// <summary>Whether <paramref name="row"/> can join the rows of <paramref name="table"/> without breaking a constraint.</summary>
    public bool Fits(RSchema schema, RTable table, Dictionary<int, string?> row)
    {
        if (!Holds(table) || table.Columns.Any(c => !c.Nullable && row[c.Id] is null))
        {
            return false;
        }

        var rows = Of(table).Append(row).ToList();
        var uniques = new List<List<int>> { table.PrimaryKey };
        uniques.AddRange(table.Columns.Where(c => c.Unique).Select(c => new List<int> { c.Id }));
        uniques.AddRange(table.Indexes.Where(i => i.Unique).Select(i => i.Columns));
        return !uniques.Any(k => Duplicates(rows, k))
            && table.Columns.All(c => c.References is not { } r || row[c.Id] is not { } v
                || (r.Table == table.Id ? rows : Of(schema.Table(r.Table))).Any(x => x[r.Column] == v));
    }

    /// <summary>A new random row for <paramref name="table"/>, or null when none fits (no row to reference).</summary>
    public Dictionary<int, string?>? NewRow(Random rng, RSchema schema, RTable table)
    {
        var row = new Dictionary<int, string?>();
        foreach (var column in table.Columns)
        {
            string? value;
            if (column.References is { } reference)
            {
                var targets = Of(schema.Table(reference.Table)).Select(r => r[reference.Column]).OfType<string>().Distinct().ToList();
                value = (column.Nullable && rng.Next(4) == 0) || targets.Count == 0 ? null : targets[rng.Next(targets.Count)];
            }
            else if (table.PrimaryKey.Contains(column.Id) || (column.Unique && !(column.Nullable && rng.Next(3) == 0)))
            {
                // Keys and unique columns: mostly fresh values, sometimes one from the pool (it may still be free).
                value = rng.Next(4) == 0 && column.Type != FieldType.Boolean ? Pool(rng, column.Type) : Values.Unique(column.Type, schema.NextValue++);
            }
            else
            {
                value = column.Nullable && rng.Next(4) == 0 ? null : Pool(rng, column.Type);
            }

            row[column.Id] = value;
        }

        return row;
    }

    private static string Pool(Random rng, FieldType type) => Values.Pool[type][rng.Next(Values.Pool[type].Length)];

    public static string Insert(RTable table, Dictionary<int, string?> row, bool postgres) =>
        $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) VALUES " +
        $"({string.Join(", ", table.Columns.Select(c => Values.Literal(c.Type, row[c.Id], postgres)))})";

    public static string Select(RTable table) => $"SELECT {string.Join(", ", table.Columns.Select(c => Quote(c.Name)))} FROM {Quote(table.Name)}";

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>The expected rows, as <see cref="Read"/> prints the actual ones.</summary>
    public List<string> Expected(RSchema schema) =>
        schema.Tables.Where(Holds).SelectMany(t => Of(t).Select(r => Format(t, c => r[c.Id]))).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every row of every table of <paramref name="schema"/> this dialect holds, read through
    /// <paramref name="command"/>, in canonical form and sorted (columns by name: order is no part of a row).</summary>
    public List<string> Read(RSchema schema, Func<string, DbDataReader> command)
    {
        var lines = new List<string>();
        foreach (var table in schema.Tables.Where(Holds))
        {
            using var reader = command(Select(table));
            while (reader.Read())
            {
                var values = table.Columns.Select((c, i) => (c.Id, Value: Values.Canonical(c.Type, reader.GetValue(i)))).ToDictionary(x => x.Id, x => x.Value);
                lines.Add(Format(table, c => values[c.Id]));
            }
        }

        return lines.Order(StringComparer.Ordinal).ToList();
    }

    private static string Format(RTable table, Func<RColumn, string?> value) =>
        table.Name + ": " + string.Join(" | ", table.Columns.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"{c.Name}={value(c) ?? "NULL"}"));
}

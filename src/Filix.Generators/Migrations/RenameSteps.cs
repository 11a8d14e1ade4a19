using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Sql;

namespace Filix.Generators.Migrations;

/// <summary>One <c>ALTER TABLE .. RENAME</c>: of a table when <see cref="Table"/> is null, else of a column of
/// <see cref="Table"/> (its name after the table renames). <see cref="Subject"/> is the recorded table name for a
/// table step and the desired one for a column step, so a dialect can tell which of its tables it concerns.</summary>
internal sealed record RenameStep(string? Table, string From, string To, string Subject)
{
    public string Sql => Table is null
        ? $"ALTER TABLE {SqlDialect.Quote(From)} RENAME TO {SqlDialect.Quote(To)}"
        : $"ALTER TABLE {SqlDialect.Quote(Table)} RENAME COLUMN {SqlDialect.Quote(From)} TO {SqlDialect.Quote(To)}";
}

/// <summary>
/// The renames of a migration as statements that both dialects run before anything else (SQLite's ALTER TABLE
/// RENAME also rewrites the views, triggers and foreign keys that mention the old name, which a rebuild cannot).
/// A recorded table or column whose name another rename takes, and that is itself dropped or renamed, first moves
/// aside to <see cref="TempPrefix"/> + its name: so <c>drop name, title -> name</c>, swaps (a -> b, b -> a) and
/// chains (a -> b, b -> c) never rename onto a name still in use. A dropped element that moved aside is dropped
/// under its temporary name.
/// </summary>
internal sealed class RenameSteps
{
    public const string TempPrefix = "_filix_old_";

    private readonly HashSet<string> _movedTables = new();
    private readonly HashSet<(string Table, string Column)> _movedColumns = new();

    public RenameSteps(IEnumerable<MigrationOperation> operations)
    {
        var list = operations.ToList();
        var tableRenames = list.OfType<RenameTableOperation>().ToList();
        var droppedTables = list.OfType<DropTableOperation>().Select(o => o.Table);
        var movedTables = Occupied(tableRenames.Select(r => (r.OldName, r.Table)).ToList(), droppedTables);
        _movedTables.UnionWith(movedTables);
        Steps.AddRange(movedTables.Select(t => new RenameStep(null, t, TempPrefix + t, t)));
        foreach (var drop in list.OfType<DropTableOperation>().Where(d => _movedTables.Contains(d.Table)))
        {
            // Index names are schema-wide: the table that takes the name may create indexes of the same names.
            DroppedIndexes.AddRange(drop.Old.Indexes.Select(i => (drop.Table, "DROP INDEX " + SqlDialect.Quote(i.Name))));
        }

        Steps.AddRange(tableRenames.Select(r => new RenameStep(null, _movedTables.Contains(r.OldName) ? TempPrefix + r.OldName : r.OldName, r.Table, r.OldName)));

        foreach (var table in list.OfType<RenameColumnOperation>().Select(o => o.Table).Distinct().ToList())
        {
            var renames = list.OfType<RenameColumnOperation>().Where(o => o.Table == table).ToList();
            var dropped = list.OfType<DropColumnOperation>().Where(o => o.Table == table).Select(o => o.Column.Name);
            var moved = Occupied(renames.Select(r => (r.OldName, r.NewName)).ToList(), dropped);
            _movedColumns.UnionWith(moved.Select(c => (table, c)));
            Steps.AddRange(moved.Select(c => new RenameStep(table, c, TempPrefix + c, table)));
            Steps.AddRange(renames.Select(r => new RenameStep(table, moved.Contains(r.OldName) ? TempPrefix + r.OldName : r.OldName, r.NewName, table)));
        }
    }

    /// <summary>Table renames first (column steps name tables by their new names), each level's moves first.</summary>
    public List<RenameStep> Steps { get; } = new();

    /// <summary>DROP INDEX of the indexes of each dropped table that moved aside, by its recorded name, to run
    /// after the renames.</summary>
    public List<(string Table, string Sql)> DroppedIndexes { get; } = new();

    /// <summary>The name a dropped table has when it is dropped.</summary>
    public string DroppedTable(string table) => _movedTables.Contains(table) ? TempPrefix + table : table;

    /// <summary>The name a dropped column of <paramref name="table"/> (desired name) has when it is dropped.</summary>
    public string DroppedColumn(string table, string column) => _movedColumns.Contains((table, column)) ? TempPrefix + column : column;

    /// <summary>The recorded names a rename wants that are still taken when it runs: those renamed or dropped.</summary>
    private static List<string> Occupied(List<(string From, string To)> renames, IEnumerable<string> dropped)
    {
        var leaving = new HashSet<string>(renames.Select(r => r.From).Concat(dropped));
        return renames.Select(r => r.To).Where(leaving.Contains).Distinct().ToList();
    }
}

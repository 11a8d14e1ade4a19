using System.Collections.Generic;
using System.Linq;

namespace Filix.Generators.Migrations;

/// <summary>
/// The names elements had before a migration. Its data checks run before its first statement (so a failing check
/// changes nothing), when renames have not happened yet and added columns do not exist.
/// </summary>
internal sealed class RecordedNames
{
    private readonly Dictionary<string, string> _tables;
    private readonly Dictionary<(string, string), string> _columns;
    private readonly HashSet<(string, string)> _added;
    private readonly HashSet<string> _created;

    public RecordedNames(IEnumerable<MigrationOperation> operations)
    {
        var list = operations.ToList();
        _tables = list.OfType<RenameTableOperation>().ToDictionary(o => o.Table, o => o.OldName);
        _columns = list.OfType<RenameColumnOperation>().ToDictionary(o => (o.Table, o.NewName), o => o.OldName);
        _added = new HashSet<(string, string)>(list.OfType<AddColumnOperation>().Select(o => (o.Table, o.Column.Name)));
        _created = new HashSet<string>(list.OfType<CreateTableOperation>().Select(o => o.Table));
    }

    public string Table(string table) => _tables.TryGetValue(table, out var old) ? old : table;

    /// <summary>The column's recorded name, or null when the migration creates it.</summary>
    public string? Column(string table, string column) =>
        _created.Contains(table) || _added.Contains((table, column)) ? null
        : _columns.TryGetValue((table, column), out var old) ? old : column;
}

using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Diagnostics;
using Filix.Generators.Model;
using Filix.Generators.Parsing;
using D = Filix.Generators.Diagnostics.DiagnosticDescriptors;

namespace Filix.Generators.Migrations;

/// <summary>
/// The destructive-change lint (Atlas's sqlcheck/destructive): every operation born destructive is an error at the
/// YAML line of its element, unless the domain's <c>allow_destructive:</c> list names that element (<c>table</c>
/// or <c>table.column</c>). Elements that are gone from the YAML are reported at their table (a dropped column) or
/// at <c>tables:</c> (a dropped table). A type change no migration can make safely (FLX0106, blob to text) is an
/// error whatever the list says.
/// </summary>
internal static class MigrationLint
{
    public static List<SchemaDiagnostic> Check(DomainSpec desired, string yamlText, IEnumerable<MigrationOperation> operations)
    {
        var diagnostics = new List<SchemaDiagnostic>();
        var locate = new Locator(desired.SourcePath, yamlText);
        var allowed = new HashSet<string>(desired.AllowDestructive);
        var list = operations.ToList();
        var tableRenames = list.OfType<RenameTableOperation>().ToDictionary(r => r.Table, r => r.OldName);
        var columnRenames = list.OfType<RenameColumnOperation>().ToDictionary(r => (r.Table, r.NewName), r => r.OldName);
        foreach (var operation in list.Where(o => o.IsDestructive))
        {
            switch (operation)
            {
                // The name is still in the YAML, but on the renamed element: say that the recorded one goes.
                case DropTableOperation drop when !allowed.Contains(drop.Table) && tableRenames.TryGetValue(drop.Table, out var from):
                    diagnostics.Add(SchemaDiagnostic.Create(D.DropsReplacedTable, locate.Find("tables", drop.Table, "renamed_from"), drop.Table, from));
                    break;
                case DropColumnOperation drop when !allowed.Contains(drop.Table + "." + drop.Column.Name) && columnRenames.TryGetValue((drop.Table, drop.Column.Name), out var from):
                    diagnostics.Add(SchemaDiagnostic.Create(D.DropsReplacedColumn, locate.Find("tables", drop.Table, "columns", drop.Column.Name, "renamed_from"),
                        drop.Table + "." + drop.Column.Name, from, drop.Column.Name));
                    break;
                case DropTableOperation drop when !allowed.Contains(drop.Table):
                    diagnostics.Add(SchemaDiagnostic.Create(D.DropsTable, locate.Find("tables"), drop.Table));
                    break;
                case DropColumnOperation drop when !allowed.Contains(drop.Table + "." + drop.Column.Name):
                    diagnostics.Add(SchemaDiagnostic.Create(D.DropsColumn, locate.Find("tables", drop.Table, "columns"), drop.Table + "." + drop.Column.Name, drop.Column.Name));
                    break;
                case AlterColumnOperation alter:
                    var element = alter.Table + "." + alter.New.Name;
                    var at = locate.Find("tables", alter.Table, "columns", alter.New.Name);
                    var consent = allowed.Contains(element);
                    if (ColumnConversions.Unsupported(alter.Old.Type, alter.New.Type) is { } why)
                    {
                        // No consent makes it possible, so it replaces FLX0103 rather than adding to it.
                        diagnostics.Add(SchemaDiagnostic.Create(D.UnsupportedConversion, at, element, TypeNames.Name(alter.Old.Type), TypeNames.Name(alter.New.Type), why));
                    }
                    else if (alter.NarrowsType && !consent)
                    {
                        diagnostics.Add(SchemaDiagnostic.Create(D.NarrowsType, at, element, TypeNames.Name(alter.Old.Type), TypeNames.Name(alter.New.Type)));
                    }

                    if (alter.BecomesRequiredWithoutDefault && !consent)
                    {
                        diagnostics.Add(SchemaDiagnostic.Create(D.RequiredWithoutDefault, at, element, "but was nullable"));
                    }

                    break;
                case AddColumnOperation add when !allowed.Contains(add.Table + "." + add.Column.Name):
                    diagnostics.Add(SchemaDiagnostic.Create(D.RequiredWithoutDefault, locate.Find("tables", add.Table, "columns", add.Column.Name),
                        add.Table + "." + add.Column.Name, "and new"));
                    break;
                case ChangeSyncOperation change when !allowed.Contains(change.Table):
                    diagnostics.Add(SchemaDiagnostic.Create(D.StopsSharing, locate.Find("tables", change.Table, "sync"), change.Table,
                        SyncTags.Name(change.Old.Sync)));
                    break;
            }
        }

        return diagnostics;
    }

    /// <summary>Finds the key of a mapping path in the YAML, falling back to the deepest part that exists.</summary>
    private sealed class Locator
    {
        private readonly string _path;
        private readonly YNode? _root;

        public Locator(string path, string text)
        {
            _path = path;
            try
            {
                _root = YamlTree.Load(path, text);
            }
            catch (YamlDotNet.Core.YamlException)
            {
                _root = null;
            }
        }

        public Model.SourceSpan Find(params string[] keys)
        {
            var span = Model.SourceSpan.None(_path);
            var node = _root;
            foreach (var key in keys)
            {
                var pair = (node as YMapping)?.Pairs.FirstOrDefault(p => p.Key.Value == key);
                if (pair?.Key is null)
                {
                    break;
                }

                span = pair.Value.Key.Span;
                node = pair.Value.Value;
            }

            return span;
        }
    }
}

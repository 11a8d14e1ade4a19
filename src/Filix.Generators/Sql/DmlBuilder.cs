using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;

namespace Filix.Generators.Sql;

/// <summary>
/// The statements a repository runs, in one dialect. Parameters are numbered in column order, so the emitter binds
/// row values by ordinal; key parameters follow the same order as the key columns.
/// </summary>
internal sealed class DmlBuilder
{
    private readonly TableSpec _table;
    private readonly SqlDialect _dialect;
    private readonly string? _schema;

    /// <param name="schema">The schema that qualifies the table name (the domain's Postgres schema), or null for an
    /// unqualified name (SQLite: one database per domain).</param>
    public DmlBuilder(TableSpec table, SqlDialect dialect, string? schema = null)
    {
        _table = table;
        _dialect = dialect;
        _schema = schema;
    }

    private string Table => _schema is null ? SqlDialect.Quote(_table.Name) : SqlDialect.Qualified(_schema, _table.Name);

    private IEnumerable<string> ColumnNames => _table.Columns.Select(c => c.Name);

    private IEnumerable<string> NonKeyColumns => ColumnNames.Where(c => !_table.PrimaryKey.Contains(c));

    private string OrderByKey => " ORDER BY " + SqlDialect.ColumnList(_table.PrimaryKey);

    public string SelectAll => $"SELECT {SqlDialect.ColumnList(ColumnNames)} FROM {Table}";

    public string Scan => SelectAll + OrderByKey;

    public string Count => $"SELECT count(*) FROM {Table}";

    public string GetByKey => SelectAll + " WHERE " + WhereKey;

    public string Insert =>
        $"INSERT INTO {Table} ({SqlDialect.ColumnList(ColumnNames)}) VALUES ({string.Join(", ", _table.Columns.Select((_, i) => _dialect.Parameter(i)))})";

    /// <summary>Insert, or replace every non-key column of the row with the same key (never a delete + insert,
    /// which would fire delete triggers and cascade).</summary>
    public string Upsert
    {
        get
        {
            var nonKey = NonKeyColumns.ToList();
            var conflict = $" ON CONFLICT ({SqlDialect.ColumnList(_table.PrimaryKey)}) ";
            return Insert + conflict + (nonKey.Count == 0
                ? "DO NOTHING"
                : "DO UPDATE SET " + string.Join(", ", nonKey.Select(c => $"{SqlDialect.Quote(c)} = excluded.{SqlDialect.Quote(c)}")));
        }
    }

    /// <summary>UPDATE of every non-key column; parameters are in column order, like <see cref="Insert"/>.</summary>
    public string? Update
    {
        get
        {
            var sets = _table.Columns
                .Select((c, i) => (c.Name, i))
                .Where(c => !_table.PrimaryKey.Contains(c.Name))
                .Select(c => $"{SqlDialect.Quote(c.Name)} = {_dialect.Parameter(c.i)}")
                .ToList();
            if (sets.Count == 0)
            {
                return null;
            }

            var keys = _table.PrimaryKey.Select(k => $"{SqlDialect.Quote(k)} = {_dialect.Parameter(IndexOf(k))}");
            return $"UPDATE {Table} SET {string.Join(", ", sets)} WHERE {string.Join(" AND ", keys)}";
        }
    }

    public string Delete => $"DELETE FROM {Table} WHERE {WhereKey}";

    /// <summary>Rows whose <paramref name="columns"/> equal the parameters, in key order. A nullable column is
    /// compared null-safely, so looking up null finds the rows where it is null.</summary>
    public string SelectWhere(IEnumerable<string> columns, IEnumerable<bool> nullable) =>
        SelectAll + " WHERE " + string.Join(" AND ", columns.Zip(nullable, (c, n) => (c, n)).Select((c, i) =>
            $"{SqlDialect.Quote(c.c)} {(c.n ? _dialect.NullSafeEquals : "=")} {_dialect.Parameter(i)}")) + OrderByKey;

    private int IndexOf(string column)
    {
        for (var i = 0; i < _table.Columns.Count; i++)
        {
            if (_table.Columns[i].Name == column)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The key columns equal to the parameters 0, 1, ... in key order (the key methods' parameters).</summary>
    private string WhereKey =>
        string.Join(" AND ", _table.PrimaryKey.Select((c, i) => $"{SqlDialect.Quote(c)} = {_dialect.Parameter(i)}"));
}

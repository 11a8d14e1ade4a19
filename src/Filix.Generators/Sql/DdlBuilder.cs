using System.Collections.Generic;
using System.Linq;
using System.Text;
using Filix.Generators.Model;

namespace Filix.Generators.Sql;

/// <summary>CREATE TABLE and CREATE INDEX statements for a domain, in one dialect.</summary>
internal static class DdlBuilder
{
    /// <summary>Which tables a dialect's database holds: SQLite holds all; the Postgres upstream only shared ones.</summary>
    public static IEnumerable<TableSpec> TablesFor(DomainSpec domain, SqlDialect dialect) =>
        dialect is PostgresDialect ? domain.Tables.Where(t => t.Sync != SyncMode.Local) : domain.Tables;

    public static List<string> Statements(DomainSpec domain, SqlDialect dialect)
    {
        var statements = new List<string>();
        foreach (var table in TablesFor(domain, dialect))
        {
            statements.Add(CreateTable(table, dialect));
            statements.AddRange(table.Indexes.Select(index => CreateIndex(table, index)));
        }

        return statements;
    }

    public static string CreateTable(TableSpec table, SqlDialect dialect)
    {
        var lines = new List<string>();
        lines.AddRange(table.Columns.Select(column => ColumnDefinition(column, dialect)));
        lines.Add("PRIMARY KEY (" + SqlDialect.ColumnList(table.PrimaryKey) + ")");
        return "CREATE TABLE " + SqlDialect.Quote(table.Name) + " (\n    " + string.Join(",\n    ", lines) + "\n)" + dialect.TableOptions;
    }

    /// <summary>One column as CREATE TABLE (and ALTER TABLE ADD COLUMN) declares it.</summary>
    public static string ColumnDefinition(ColumnSpec column, SqlDialect dialect)
    {
        var sb = new StringBuilder();
        sb.Append(SqlDialect.Quote(column.Name)).Append(' ').Append(dialect.TypeName(column.Type));
        if (!column.Nullable)
        {
            sb.Append(" NOT NULL");
        }

        if (column.Default is { } value)
        {
            sb.Append(" DEFAULT ").Append(dialect.DefaultExpression(column.Type, value));
        }

        if (column.Unique)
        {
            sb.Append(" UNIQUE");
        }

        if (dialect.Check(column) is { } check)
        {
            sb.Append(" CHECK (").Append(check).Append(')');
        }

        if (column.References is { } reference)
        {
            sb.Append(" REFERENCES ").Append(SqlDialect.Quote(reference.Table))
              .Append(" (").Append(SqlDialect.Quote(reference.Column)).Append(')').Append(dialect.ForeignKeyOptions);
        }

        return sb.ToString();
    }

    public static string CreateIndex(TableSpec table, IndexSpec index) =>
        $"CREATE {(index.Unique ? "UNIQUE " : string.Empty)}INDEX {SqlDialect.Quote(index.Name)} ON {SqlDialect.Quote(table.Name)} ({SqlDialect.ColumnList(index.Columns)})";
}

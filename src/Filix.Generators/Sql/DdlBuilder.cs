using System.Collections.Generic;
using System.Linq;
using System.Text;
using Filix.Generators.Model;

namespace Filix.Generators.Sql;

/// <summary>
/// CREATE TABLE and CREATE INDEX statements for a domain, in one dialect. SQLite takes a REFERENCES to a table
/// declared later, or a cycle, inline (it checks keys only when rows are written), so its text stays as it always
/// was: the schema hash is computed over it. Postgres checks that a REFERENCES target exists when the table is
/// created, so there every table is created without its foreign keys, and the keys are added once all tables
/// exist (<see cref="ForeignKeys"/>): any declaration order and any cycle applies.
/// </summary>
internal static class DdlBuilder
{
    /// <summary>Which tables a dialect's database holds: SQLite holds all; the Postgres upstream only shared ones.</summary>
    public static IEnumerable<TableSpec> TablesFor(DomainSpec domain, SqlDialect dialect) =>
        dialect is PostgresDialect ? domain.Tables.Where(t => t.Sync != SyncMode.Local) : domain.Tables;

    public static List<string> Statements(DomainSpec domain, SqlDialect dialect)
    {
        var statements = new List<string>();
        var tables = TablesFor(domain, dialect).ToList();
        foreach (var table in tables)
        {
            statements.Add(CreateTable(table, dialect));
            statements.AddRange(table.Indexes.Select(index => CreateIndex(table, index)));
        }

        if (!InlineReferences(dialect))
        {
            statements.AddRange(tables.SelectMany(ForeignKeys));
        }

        return statements;
    }

    /// <summary>Whether the dialect's CREATE TABLE carries REFERENCES inline (SQLite) or the keys are added
    /// after every table exists (Postgres, <see cref="ForeignKeys"/>).</summary>
    public static bool InlineReferences(SqlDialect dialect) => dialect is not PostgresDialect;

    public static string CreateTable(TableSpec table, SqlDialect dialect)
    {
        var lines = new List<string>();
        lines.AddRange(table.Columns.Select(column => ColumnDefinition(column, dialect)));
        lines.Add("PRIMARY KEY (" + SqlDialect.ColumnList(table.PrimaryKey) + ")");
        return "CREATE TABLE " + SqlDialect.Quote(table.Name) + " (\n    " + string.Join(",\n    ", lines) + "\n)" + dialect.TableOptions;
    }

    /// <summary>One column as CREATE TABLE (and ALTER TABLE ADD COLUMN) declares it; in Postgres without its
    /// REFERENCES, which <see cref="ForeignKeys"/> or the migration adds once the target exists.</summary>
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

        if (column.References is { } reference && InlineReferences(dialect))
        {
            sb.Append(" REFERENCES ").Append(References(reference, dialect));
        }

        return sb.ToString();
    }

    /// <summary>The Postgres statements that add <paramref name="table"/>'s foreign keys, deferred like every
    /// upstream key (a sync batch may arrive in any table order), each under the name Postgres itself would give
    /// it on a new table (<see cref="ForeignKeyName"/>).</summary>
    public static IEnumerable<string> ForeignKeys(TableSpec table)
    {
        var taken = new HashSet<string>();
        foreach (var column in table.Columns.Where(c => c.References is not null))
        {
            var name = ForeignKeyName(table.Name, column.Name, taken);
            yield return $"ALTER TABLE {SqlDialect.Quote(table.Name)} ADD CONSTRAINT {SqlDialect.Quote(name)} FOREIGN KEY ({SqlDialect.Quote(column.Name)}) " +
                         "REFERENCES " + References(column.References!, SqlDialect.Postgres);
        }
    }

    /// <summary>One foreign key of an existing upstream table, named by Postgres (which avoids the names the
    /// table's other constraints already use, such as the key of a column renamed away).</summary>
    public static string AddForeignKey(string table, ColumnSpec column) =>
        $"ALTER TABLE {SqlDialect.Quote(table)} ADD FOREIGN KEY ({SqlDialect.Quote(column.Name)}) REFERENCES " + References(column.References!, SqlDialect.Postgres);

    /// <summary>
    /// <c>table_column_fkey</c>, as Postgres names an unnamed key (makeObjectName in its indexcmds.c): the longer
    /// of the two parts is cut, a byte at a time and never inside a character, until the name fits in 63 bytes;
    /// a name the table already uses gets a number (<c>fkey1</c>, <c>fkey2</c>, ...).
    /// </summary>
    internal static string ForeignKeyName(string table, string column, ISet<string> taken)
    {
        for (var n = 0; ; n++)
        {
            var label = n == 0 ? "fkey" : "fkey" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var available = 63 - (label.Length + 1) - 1;
            var (first, second) = (Encoding.UTF8.GetBytes(table), Encoding.UTF8.GetBytes(column));
            var (firstLength, secondLength) = (first.Length, second.Length);
            while (firstLength + secondLength > available)
            {
                if (firstLength > secondLength)
                {
                    firstLength--;
                }
                else
                {
                    secondLength--;
                }
            }

            var name = Clip(first, firstLength) + "_" + Clip(second, secondLength) + "_" + label;
            if (taken.Add(name))
            {
                return name;
            }
        }
    }

    /// <summary>The first <paramref name="length"/> bytes of UTF-8 text, shortened to a character boundary.</summary>
    private static string Clip(byte[] utf8, int length)
    {
        while (length > 0 && length < utf8.Length && (utf8[length] & 0xC0) == 0x80)
        {
            length--;
        }

        return Encoding.UTF8.GetString(utf8, 0, length);
    }

    private static string References(ReferenceSpec reference, SqlDialect dialect) =>
        SqlDialect.Quote(reference.Table) + " (" + SqlDialect.Quote(reference.Column) + ")" + dialect.ForeignKeyOptions;

    public static string CreateIndex(TableSpec table, IndexSpec index) =>
        $"CREATE {(index.Unique ? "UNIQUE " : string.Empty)}INDEX {SqlDialect.Quote(index.Name)} ON {SqlDialect.Quote(table.Name)} ({SqlDialect.ColumnList(index.Columns)})";
}

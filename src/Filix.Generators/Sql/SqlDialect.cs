using System.Globalization;
using System.Collections.Generic;
using System.Linq;
using Filix.Generators.Model;

namespace Filix.Generators.Sql;

/// <summary>
/// What differs between SQLite and Postgres: type names, default expressions, parameter markers, upsert syntax.
/// Everything else (statement shapes, quoting) is shared here, so no SQL builder is written twice.
/// </summary>
internal abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect Postgres = new PostgresDialect();

    /// <summary>The one quoting rule: wrap in double quotes and double any embedded quote. Every identifier in
    /// every statement goes through here, so a column named <c>order</c> or <c>group</c> just works.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary><c>"schema"."name"</c>: each part through <see cref="Quote"/>. On Postgres every domain lives in the
    /// schema named after it (<c>DatabaseSchema.PostgresSchema</c>), so two domains may both have a table
    /// <c>items</c>; the upstream adapters address their own.</summary>
    public static string Qualified(string schema, string name) => Quote(schema) + "." + Quote(name);

    /// <summary>A SQL string literal: single quotes, embedded quotes doubled.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    public abstract string TypeName(ColumnType type);

    /// <summary>The 0-based parameter <paramref name="index"/> as this dialect's driver expects it.</summary>
    public abstract string Parameter(int index);

    /// <summary>The comparison operator under which null equals null.</summary>
    public abstract string NullSafeEquals { get; }

    public abstract string DefaultExpression(ColumnType type, DefaultValue value);

    /// <summary>A CHECK that keeps a column's stored form valid, or null.</summary>
    public virtual string? Check(ColumnSpec column) => null;

    /// <summary>Clauses appended after the closing parenthesis of CREATE TABLE.</summary>
    public virtual string TableOptions => string.Empty;

    /// <summary>Foreign key options: Postgres defers them so a sync batch may arrive in any table order.</summary>
    public virtual string ForeignKeyOptions => string.Empty;

    /// <summary><c>"a", "b"</c>: quoted, comma-separated.</summary>
    public static string ColumnList(IEnumerable<string> names) => string.Join(", ", names.Select(Quote));

    protected static string Number(string canonical) => double.Parse(canonical, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
}

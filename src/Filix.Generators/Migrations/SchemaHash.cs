using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Filix.Generators.Model;
using Filix.Generators.Parsing;
using Filix.Generators.Sql;

namespace Filix.Generators.Migrations;

/// <summary>
/// The hashes that tie databases, migrations and code together. All are stable across machines and runs.
/// </summary>
/// <remarks>
/// <para><b>What a schema change is.</b> The schema hash and the differ (<see cref="SchemaDiffer"/>) must agree: a
/// YAML edit the differ sees as no change (moving a table above another, swapping two columns, editing a
/// description) must not change the hash the code carries, or the code refuses every database with "the migrations
/// end at schema X but the YAML describes schema Y" while the build records nothing (issue 10, defect 1).
/// <see cref="Compute(DomainSpec)"/> is therefore a hash of the <em>canonical form</em>: tables, their columns and
/// their indexes, each sorted by name, with what the differ compares of each (type, nullability, default, unique,
/// reference; key columns in key order, index columns in index order; the sync tag).</para>
/// <para><b>Compatibility with recorded history.</b> Migrations recorded before this rule (the seven domains'
/// <c>0001_initial</c>, and every database created from them, whose <c>_filix_meta.schema_hash</c> holds it) carry
/// the <em>legacy</em> hash, <see cref="Legacy"/>: FNV-1a over the SQLite DDL in YAML order. Those files and
/// databases must not change, so the code carries <em>the hash its history uses</em> (<see cref="ForCode"/>): when
/// the YAML is the schema of the last recorded migration, as the differ decides, the code's hash is that
/// migration's recorded hash, whichever form it has. Only a schema the history does not reach gets its own
/// (canonical) hash, and then the runtime's completeness check rightly fails. New migrations record the canonical
/// hash.</para>
/// </remarks>
internal static class SchemaHash
{
    /// <summary>The order-independent hash of a schema (see the remarks): recorded in new migrations and carried
    /// by code whose schema no recorded migration reaches.</summary>
    public static string Compute(DomainSpec domain) => Fnv(Canonical(domain));

    /// <summary>FNV-1a over the SQLite DDL in YAML order: the form recorded before the canonical one. Kept to
    /// recognise migrations and databases made with it.</summary>
    public static string Legacy(IEnumerable<string> sqliteStatements) => Fnv(string.Join("\n;\n", sqliteStatements));

    /// <summary>
    /// The hash generated code carries as <c>&lt;Domain&gt;Schema.Hash</c> (and the runtime compares with the last
    /// embedded migration's): the last recorded migration's hash when <paramref name="desired"/> is that
    /// migration's schema (equal hash in either form, or no operation between its snapshot and the YAML), else the
    /// canonical hash of <paramref name="desired"/>.
    /// </summary>
    /// <param name="lastRecordedHash">The <c>filix:schema-hash</c> of the last recorded migration; null without history.</param>
    /// <param name="lastSnapshot">Reads the last migration's snapshot; null when it is not available (then only
    /// an equal hash counts).</param>
    public static string ForCode(DomainSpec desired, string? lastRecordedHash, Func<DomainSpec?> lastSnapshot)
    {
        var canonical = Compute(desired);
        if (string.IsNullOrEmpty(lastRecordedHash) || lastRecordedHash == canonical)
        {
            return canonical;
        }

        // The differ decides when the snapshot is there (it sees sync tags, which the legacy hash does not).
        if (lastSnapshot() is { } recorded)
        {
            return SchemaDiffer.Diff(recorded, desired).Count == 0 ? lastRecordedHash! : canonical;
        }

        return lastRecordedHash == Legacy(DdlBuilder.Statements(desired, SqlDialect.Sqlite)) ? lastRecordedHash! : canonical;
    }

    /// <summary>The canonical text: one line per table, column, key and index, sorted by name, so declaration
    /// order never counts. Columns are written as SQLite declares them (one type map).</summary>
    internal static string Canonical(DomainSpec domain)
    {
        var sb = new StringBuilder();
        foreach (var table in domain.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            sb.Append("table ").Append(SqlDialect.Quote(table.Name)).Append(" sync ").Append(SyncTags.Name(table.Sync)).Append('\n');
            foreach (var column in table.Columns.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                sb.Append("  column ").Append(DdlBuilder.ColumnDefinition(column, SqlDialect.Sqlite)).Append('\n');
            }

            sb.Append("  primary key (").Append(SqlDialect.ColumnList(table.PrimaryKey)).Append(")\n");
            foreach (var index in table.Indexes.OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                sb.Append("  ").Append(DdlBuilder.CreateIndex(table, index)).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>SHA-256 of a migration's two files (line endings normalised, so a checkout with CRLF still
    /// matches): recorded in migrations.sum, embedded in the code and stored in each database's history.</summary>
    public static string Checksum(string sqliteSql, string postgresSql)
    {
        using var sha = SHA256.Create();
        var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(Normalise(sqliteSql) + "\n--\n" + Normalise(postgresSql)));
        var sb = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static string Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n");
}

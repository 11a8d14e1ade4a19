using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace Filix.Generators.Migrations;

/// <summary>The hashes that tie databases, migrations and code together. Both are stable across machines and runs.</summary>
internal static class SchemaHash
{
    /// <summary>FNV-1a over the SQLite DDL: what <c>_filix_meta.schema_hash</c> records, so a database made before
    /// migrations existed is recognised as the state after a known migration.</summary>
    public static string Compute(IEnumerable<string> sqliteStatements)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(string.Join("\n;\n", sqliteStatements)))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
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

    private static string Normalise(string text) => text.Replace("\r\n", "\n");
}

using System.Globalization;
using Filix.Runtime;
using Filix.Runtime.Migrations;

namespace Filix.Reliability.Worker;

/// <summary>
/// The databases the torture children write. <c>items</c> has no unique key on <c>id</c>, so a write committed twice
/// shows up as two rows; its payload makes rows big enough that a few seconds of writing spans many pages.
/// </summary>
public static class TortureSchema
{
    public const string Insert = "INSERT INTO items (id, child, n, payload) VALUES ($p0, $p1, $p2, $p3)";

    public static DatabaseSchema Definition { get; } = new()
    {
        Domain = "torture",
        SchemaHash = "torture-2",
        SourceFile = "tests/Filix.Reliability.Worker/TortureSchema.cs",
        Tables = ["items"],
        SqliteDdl =
        [
            "CREATE TABLE items (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, child TEXT NOT NULL, n INTEGER NOT NULL, payload BLOB NOT NULL) STRICT",
            "CREATE INDEX ix_items_child_id ON items (child, id)",
        ],
        PostgresDdl = [],
    };

    /// <summary>The stored forms of one row; the payload's size varies so pages split at different places.</summary>
    public static object?[] Row(string id, string child, long n, int payloadBytes) =>
        [id, child, n, new byte[payloadBytes]];

    /// <summary>
    /// A domain whose second migration rebuilds <c>books</c> (SQLite cannot change a column's type in place: new table,
    /// copy every row, drop, rename; docs/migrations.md), written by hand so the test does not depend on what the
    /// generator emits. Version 1 is what the test populates; the child opens version 2 and is killed mid-copy.
    /// </summary>
    public static DatabaseSchema Rebuild(int version)
    {
        const string V1 = "CREATE TABLE \"books\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"title\" TEXT NOT NULL, \"pages\" INTEGER NOT NULL) STRICT";
        const string V2 = "CREATE TABLE \"books\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"title\" TEXT NOT NULL, \"pages\" REAL NOT NULL) STRICT";
        const string Index = "CREATE INDEX \"ix_books_title\" ON \"books\" (\"title\")";
        const string Step2 = """
            CREATE TABLE "_filix_new_books" ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT NOT NULL, "pages" REAL NOT NULL) STRICT;
            INSERT INTO "_filix_new_books" ("id", "title", "pages") SELECT "id", "title", CAST("pages" AS REAL) FROM "books";
            DROP TABLE "books";
            ALTER TABLE "_filix_new_books" RENAME TO "books";
            CREATE INDEX "ix_books_title" ON "books" ("title");
            """;
        var versions = new (string[] Ddl, string Sql)[] { ([V1, Index], V1 + ";\n" + Index + ";"), ([V2, Index], Step2) };
        return new DatabaseSchema
        {
            Domain = "library",
            SchemaHash = "rebuild-" + version,
            SourceFile = "tests/Filix.Reliability.Worker/TortureSchema.cs",
            Tables = ["books"],
            SqliteDdl = versions[version - 1].Ddl,
            PostgresDdl = [],
            Migrations = versions.Take(version)
                .Select((v, i) => new Migration((i + 1).ToString("0000", CultureInfo.InvariantCulture), "step_" + (i + 1), "sum-" + (i + 1), "rebuild-" + (i + 1), v.Sql, string.Empty))
                .ToList(),
        };
    }
}

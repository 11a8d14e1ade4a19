using Filix.Runtime;
using Filix.Runtime.Migrations;
using Filix.Runtime.Sync;
using Filix.Testing;

namespace Filix.Sync.Tests.Capture;

/// <summary>Capture across migrations: SQLite drops a table's triggers with the table, so a rebuild of a shared table
/// must end with this build's triggers again, inside the migration's transaction, and the self-check must still pass.</summary>
public sealed class CaptureMigrationTests
{
    private const string V1 = """CREATE TABLE "notes" ("id" TEXT NOT NULL PRIMARY KEY, "body" TEXT NOT NULL) STRICT""";
    private const string V2 = """CREATE TABLE "notes" ("id" TEXT NOT NULL PRIMARY KEY, "body" TEXT NOT NULL, "n" INTEGER NOT NULL DEFAULT 0 CHECK ("n" >= 0)) STRICT""";

    // The rebuild a migration makes for a change ALTER TABLE cannot do (here a column with a CHECK).
    private const string Rebuild = """
        CREATE TABLE "_filix_new_notes" ("id" TEXT NOT NULL PRIMARY KEY, "body" TEXT NOT NULL, "n" INTEGER NOT NULL DEFAULT 0 CHECK ("n" >= 0)) STRICT;
        INSERT INTO "_filix_new_notes" ("id", "body") SELECT "id", "body" FROM "notes";
        DROP TABLE "notes";
        ALTER TABLE "_filix_new_notes" RENAME TO "notes";
        """;

    private static DatabaseSchema At(int version, bool shared = true)
    {
        var versions = new[] { (Ddl: V1, Sql: V1 + ";"), (Ddl: V2, Sql: Rebuild) };
        return new DatabaseSchema
        {
            Domain = "hand",
            SchemaHash = "hash-" + version,
            SourceFile = "hand.filix.yaml",
            Tables = ["notes"],
            SqliteDdl = [versions[version - 1].Ddl],
            PostgresDdl = [],
            Migrations = versions.Take(version)
                .Select((v, i) => new Migration($"000{i + 1}", "step_" + (i + 1), "sum-" + (i + 1), "hash-" + (i + 1), v.Sql, string.Empty))
                .ToList(),
            SyncTables = shared ? [Notes(version)] : [],
        };
    }

    private static SyncTable Notes(int version) => new SyncTable<object>(
        "hand", "notes", SyncMode.Sync, version == 1 ? ["id", "body"] : ["id", "body", "n"], ["id"], [],
        _ => throw new NotSupportedException(), (_, _, _) => throw new NotSupportedException(),
        _ => throw new NotSupportedException(), (_, _) => throw new NotSupportedException());

    [Fact]
    public async Task A_migration_that_rebuilds_a_shared_table_keeps_it_captured_and_passes_the_self_check()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("hand.db");
        await using (var db = await FilixDatabase.OpenAsync(path, At(1)))
        {
            await db.ExecuteAsync("""INSERT INTO "notes" ("id", "body") VALUES ($p0, $p1)""", 2, ["a", "before"]);
        }

        var before = CaptureDb.Entry(path, "notes", """["a"]""")!;
        await using (var db = await FilixDatabase.OpenAsync(path, At(2)))
        {
            Assert.Single(db.Migrations.Pending);
            Assert.Empty(db.Migrations.Removed); // capture's triggers are not the user's objects: nothing reported lost
            await db.ExecuteAsync("""INSERT INTO "notes" ("id", "body", "n") VALUES ($p0, $p1, 1)""", 2, ["b", "after"]);
            await db.ExecuteAsync("""UPDATE "notes" SET "body" = 'edited' WHERE "id" = $p0""", 1, ["a"]);
        }

        Assert.Equal(3, CaptureDb.Names(path, "trigger", "\\_filix\\_capture\\_notes\\_%' ESCAPE '\\").Count);
        Assert.NotNull(CaptureDb.Entry(path, "notes", """["b"]"""));
        Assert.True(CaptureDb.Entry(path, "notes", """["a"]""")!.Hlc > before.Hlc);
    }

    [Fact]
    public async Task A_table_that_stops_being_shared_loses_its_capture_triggers()
    {
        using var folder = TempDirectory.Create("capture");
        var path = folder.File("hand.db");
        await using (await FilixDatabase.OpenAsync(path, At(1)))
        {
        }

        await using (var db = await FilixDatabase.OpenAsync(path, At(1, shared: false)))
        {
            await db.ExecuteAsync("""INSERT INTO "notes" ("id", "body") VALUES ($p0, $p1)""", 2, ["a", "local"]);
        }

        Assert.Empty(CaptureDb.Names(path, "trigger", "%"));
        Assert.Empty(CaptureDb.Entries(path));
    }
}

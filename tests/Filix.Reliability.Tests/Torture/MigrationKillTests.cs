using Filix.Reliability.Worker;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Filix.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// SIGKILL while opening a populated database rebuilds a table (new table, copy every row, drop, rename, in one
/// transaction): the file must come back as it was before the migration, every row there, and the next open must
/// run the migration to its end.
/// </summary>
public sealed class MigrationKillTests(ITestOutputHelper output)
{
    private const int Rows = 200_000;

    [Fact]
    public async Task A_table_rebuild_killed_midway_leaves_the_file_as_it_was_and_the_next_open_migrates()
    {
        var seed = TortureSeed.Next(output, "migration kills");
        var random = new Random(seed);
        using var folder = TempDirectory.Create("torture-migration");
        var populated = folder.File("populated.db");
        await SqliteMigrations.MigrateAsync(populated, TortureSchema.Rebuild(1));
        using (var connection = Survivors.Open(populated))
        using (var fill = connection.CreateCommand())
        {
            fill.CommandText = $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) " +
                "INSERT INTO books (id, title, pages) SELECT i, 'Title ' || i, i % 900 FROM n";
            fill.ExecuteNonQuery();
        }

        var expected = Fingerprint(populated);
        var copies = 0;
        string Copy()
        {
            var path = folder.File($"library{copies++}.db");
            File.Copy(populated, path);
            return path;
        }

        var calibration = Copy();
        var phase = await MidPhase.CalibrateAsync(TortureChild.Start("calibrate", null, "migrate", calibration), "migrated");
        Assert.Equal(["0001", "0002"], Column(calibration, "SELECT id FROM _filix_migrations ORDER BY id"));
        Assert.Equal(expected, Fingerprint(calibration));
        output.WriteLine($"opening and migrating {Rows:N0} rows took {phase} ms");

        var inside = await MidPhase.KillInsideAsync(random, phase, wanted: 3, "migrating", "migrated", attempt =>
            TortureChild.Start("k" + attempt, null, "migrate", Copy()), async (child, landed) =>
        {
            var path = folder.File($"library{copies - 1}.db");
            using (var connection = Survivors.Open(path))
            {
                Assert.Equal("ok", Survivors.IntegrityCheck(connection));
            }

            var history = Column(path, "SELECT id FROM _filix_migrations ORDER BY id");
            output.WriteLine($"{child.Name}: killed {(landed ? "inside" : "after")} the migration; history {string.Join(",", history)}");
            Assert.Equal(landed ? ["0001"] : ["0001", "0002"], history);
            Assert.Equal(expected, Fingerprint(path));

            await using (await FilixDatabase.OpenAsync(path, TortureSchema.Rebuild(2), FilixOptions.Default with { ShareWriter = false, CreateIfMissing = false }))
            {
            }

            Assert.Equal(["0001", "0002"], Column(path, "SELECT id FROM _filix_migrations ORDER BY id"));
            Assert.Equal(expected, Fingerprint(path));
            Assert.Equal(["real"], Column(path, "SELECT DISTINCT typeof(pages) FROM books"));
        });

        Assert.True(inside > 0, $"No kill landed inside the migration (each took about {phase} ms); every kill was still checked.");
    }

    /// <summary>Row count and sums over every column: the same rows, whichever type <c>pages</c> has now.</summary>
    private static string Fingerprint(string path) =>
        string.Join("|", Column(path, "SELECT count(*) || ' ' || total(id) || ' ' || total(length(title)) || ' ' || total(pages) FROM books"));

    private static List<string> Column(string path, string sql)
    {
        using var connection = Survivors.Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }
}

using Filix.Sync.Tests.Machines;
using Npgsql;
using Xunit.Abstractions;

namespace Filix.Sync.Tests.Convergence;

/// <summary>
/// Issue 11, item 11 (and seed 000): <c>local</c> tables (the files domain) never appear upstream, whatever is
/// synced; <c>optional</c> tables (music) stay on their machine until it enables them, then everything written
/// meanwhile goes up, and a machine that has not enabled them neither pushes nor pulls them.
/// </summary>
[Collection(ConvergenceCollection.Name)]
public sealed class SharingModeTests(ConvergenceFixture postgres, ITestOutputHelper log)
{
    [Fact]
    public async Task Local_tables_never_reach_upstream_and_optional_tables_sync_only_where_and_after_they_are_enabled()
    {
        var upstream = await postgres.CreateUpstreamAsync("sharing");
        await using var fleet = await Fleet.CreateAsync(301, 2, upstream, AllDomains.All, log);
        foreach (var machine in fleet.Machines)
        {
            WriteFiles(machine);
        }

        var synced = fleet.SyncedTables();
        var music = fleet.Machines[0]["music"].Tables;
        Assert.DoesNotContain(synced, t => t.Domain.Name is "music" or "files");
        await fleet.RandomRoundAsync(1, [.. synced, .. music], 40);
        await fleet.RandomRoundAsync(2, music, 15); // both machines surely hold music rows of their own
        await fleet.SyncUntilQuietAsync();
        await AssertNoLocalTablesUpstreamAsync(upstream);
        Assert.Equal(0, await UpstreamRowsAsync(upstream, music));
        var before = fleet.Machines.Select(m => Snapshot.Local(m, music)).ToArray();
        Assert.All(before, s => Assert.True(s.Tables.Values.Sum(t => t.Count) > 0, "every machine wrote music rows"));

        // One machine enables music: what it wrote before goes up; the other machine neither pushes nor pulls music.
        var first = fleet.Machines[0];
        first.Enabled.Add("music");
        await fleet.SyncAsync(first, 7, SyncStep.Both);
        Assert.True(await UpstreamRowsAsync(upstream, music) > 0, "the machine that enabled music pushed the music rows it wrote before");
        await fleet.SyncAsync(fleet.Machines[1], 7, SyncStep.Both);
        var untouched = Snapshot.Local(fleet.Machines[1], music);
        foreach (var table in music.Select(t => t.ToString()))
        {
            Assert.Equal(before[1][table], untouched[table]);
        }

        // Both enabled: everything converges, music included.
        fleet.Machines[1].Enabled.Add("music");
        await fleet.SyncUntilQuietAsync();
        await fleet.AssertConvergedAsync([.. synced, .. music]);
        await AssertNoLocalTablesUpstreamAsync(upstream);
    }

    /// <summary>Rows in each of the files domain's tables, as the watcher daemon writes them.</summary>
    private static void WriteFiles(Machine machine)
    {
        using var command = machine["files"].Raw.CreateCommand();
        command.CommandText = $"""
            INSERT INTO "roots" ("path") VALUES ('/home/{machine.Id}');
            INSERT INTO "files" ("path", "root", "relative_path", "name", "size", "mtime")
                VALUES ('/home/{machine.Id}/a.pdf', '/home/{machine.Id}', 'a.pdf', 'a.pdf', 10, '2026-01-01T00:00:00.0000000Z');
            INSERT INTO "changes" ("id", "path", "kind") VALUES (1, '/home/{machine.Id}/a.pdf', 'created');
            """;
        command.ExecuteNonQuery();
    }

    private static async Task AssertNoLocalTablesUpstreamAsync(string upstream)
    {
        await using var connection = new NpgsqlConnection(upstream);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = ANY ($1) OR (n.nspname = 'files' AND c.relkind IN ('r', 'p', 'v'))",
            connection);
        command.Parameters.AddWithValue(AllDomains.Files.Schema.Tables.ToArray());
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }

        Assert.True(found.Count == 0, $"local tables of the files domain appeared upstream: {string.Join(", ", found)}");
    }

    /// <summary>Rows upstream in <paramref name="tables"/> (0 for a table not created there).</summary>
    private static async Task<long> UpstreamRowsAsync(string upstream, IEnumerable<TableModel> tables)
    {
        await using var connection = new NpgsqlConnection(upstream);
        await connection.OpenAsync();
        var total = 0L;
        foreach (var table in tables)
        {
            var name = $"{Filix.Runtime.SqlNames.Quote(table.Domain.Name)}.{Filix.Runtime.SqlNames.Quote(table.Name)}";
            await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
            exists.Parameters.AddWithValue(name);
            if (await exists.ExecuteScalarAsync() is true)
            {
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {name}", connection);
                total += (long)(await count.ExecuteScalarAsync())!;
            }
        }

        return total;
    }
}

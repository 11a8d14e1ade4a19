using System.Diagnostics;
using Filix.Testing;
using Filix.Testing.Postgres;
using Xunit.Abstractions;

namespace Filix.Cli.Tests.Sync;

/// <summary>
/// <c>filix sync --watch</c> end to end: two data folders, a daemon on each as a child process, rows written in one
/// (by Python's sqlite3 in another process, and by the typed API through the daemon's shared writer) become readable
/// in the other without anyone running <c>filix sync</c>; SIGTERM stops both with exit 0; a Postgres stop and start
/// under them is reported once and survived. Assertions are on content, never on speed (timings are only printed).
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class SyncWatchTests(PostgresFixture postgres, ITestOutputHelper log)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Rows_written_on_one_machine_appear_on_the_other_and_SIGTERM_stops_both_with_0()
    {
        var upstream = await postgres.CreateDatabaseAsync("cli_watch");
        using var temp = TempDirectory.Create("cli-watch");
        var a = temp.File("a");
        var b = temp.File("b");
        using var daemonA = StartDaemon(a, upstream);
        using var daemonB = StartDaemon(b, upstream);
        await WaitUntilSyncingAsync(daemonA, daemonB);

        SyncMachines.WriteWithPython(a, "person:from-a", "Written in A by sqlite3");
        var aToB = await SyncMachines.WaitForNameAsync(b, "person:from-a", "Written in A by sqlite3", Arrival, () => Logs(daemonA, daemonB));

        await SyncMachines.WriteTypedAsync(b, "person:from-b", "Written in B by the typed API");
        var bToA = await SyncMachines.WaitForNameAsync(a, "person:from-b", "Written in B by the typed API", Arrival, () => Logs(daemonA, daemonB));

        SyncMachines.WriteWithPython(a, "person:from-b", "Edited in A after B wrote it");
        await SyncMachines.WaitForNameAsync(b, "person:from-b", "Edited in A after B wrote it", Arrival, () => Logs(daemonA, daemonB));
        log.WriteLine($"commit to readable (informational): A->B {aToB.TotalMilliseconds:0} ms, B->A {bToA.TotalMilliseconds:0} ms");
        log.WriteLine(Logs(daemonA, daemonB));

        var stopping = Stopwatch.StartNew();
        daemonA.Signal(15);
        daemonB.Signal(2); // Ctrl+C is a clean stop too
        await daemonA.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await daemonB.WaitForExitAsync(TimeSpan.FromSeconds(30));
        log.WriteLine($"both stopped in {stopping.ElapsedMilliseconds} ms");

        Assert.True(daemonA.ExitCode == 0, Logs(daemonA, daemonB));
        Assert.True(daemonB.ExitCode == 0, Logs(daemonA, daemonB));
        Assert.Contains("Stopped syncing", daemonA.Error, StringComparison.Ordinal);
        Assert.Contains("Stopped syncing", daemonB.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("fail", daemonA.Error + daemonB.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_postgres_stop_and_start_under_the_daemons_is_reported_once_and_they_converge_after_it()
    {
        // Its own cluster: stopping the shared one would break the other tests of the collection.
        await using var cluster = await PostgresCluster.StartAsync();
        var upstream = await cluster.CreateDatabaseAsync("cli_watch_restart");
        using var temp = TempDirectory.Create("cli-watch");
        var a = temp.File("a");
        var b = temp.File("b");
        using var daemonA = StartDaemon(a, upstream);
        using var daemonB = StartDaemon(b, upstream);
        await WaitUntilSyncingAsync(daemonA, daemonB);
        SyncMachines.WriteWithPython(a, "person:before", "Before the outage");
        await SyncMachines.WaitForNameAsync(b, "person:before", "Before the outage", Arrival, () => Logs(daemonA, daemonB));

        ClusterControl.Stop(cluster);
        SyncMachines.WriteWithPython(a, "person:during", "Written while Postgres was down");
        await daemonA.WaitForErrorAsync(e => e.Contains("unreachable", StringComparison.Ordinal), Arrival, "notice the outage");
        await Task.Delay(TimeSpan.FromSeconds(3)); // several retries
        Assert.Null(SyncMachines.ReadName(b, "person:during"));
        ClusterControl.Start(cluster);

        await SyncMachines.WaitForNameAsync(b, "person:during", "Written while Postgres was down", TimeSpan.FromSeconds(60), () => Logs(daemonA, daemonB));
        SyncMachines.WriteWithPython(b, "person:after", "After the outage");
        await SyncMachines.WaitForNameAsync(a, "person:after", "After the outage", Arrival, () => Logs(daemonA, daemonB));
        await daemonA.WaitForErrorAsync(e => e.Contains("reachable again", StringComparison.Ordinal), Arrival, "report the recovery");
        daemonA.Signal(15);
        daemonB.Signal(15);
        await daemonA.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await daemonB.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(daemonA.ExitCode == 0 && daemonB.ExitCode == 0, Logs(daemonA, daemonB));
        foreach (var daemon in new[] { daemonA, daemonB })
        {
            var lines = daemon.Error.Split('\n');
            Assert.True(lines.Count(l => l.Contains(" unreachable", StringComparison.Ordinal)) == 1, "once per outage, not per retry:\n" + Logs(daemonA, daemonB));
            Assert.True(lines.Count(l => l.Contains("reachable again", StringComparison.Ordinal)) == 1, Logs(daemonA, daemonB));
        }
    }

    [Fact]
    public async Task SIGTERM_in_the_middle_of_a_large_first_push_exits_0_and_leaves_nothing_half_done()
    {
        var upstream = await postgres.CreateDatabaseAsync("cli_watch_drain");
        using var temp = TempDirectory.Create("cli-watch");
        var a = temp.File("a");
        var fill = await Cli.RunAsync("run", "--data", a, "--scale", "0.2", "--json"); // ~23,000 shared rows: several batches
        Assert.True(fill.ExitCode == 0, fill.ToString());
        using var daemon = StartDaemon(a, upstream);
        await daemon.WaitForErrorAsync(e => e.Contains("Syncing ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "start syncing");
        await Task.Delay(300); // into the first push

        var stopping = Stopwatch.StartNew();
        daemon.Signal(15);
        await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60));
        log.WriteLine($"stopped {stopping.ElapsedMilliseconds} ms after SIGTERM\n{daemon}");

        Assert.True(daemon.ExitCode == 0, daemon.ToString());
        Assert.Contains("Stopped syncing", daemon.Error, StringComparison.Ordinal);
        // What the stop left is consistent: one more sync finishes it, and then nothing is pending and the upstream
        // holds exactly the rows of this machine (no duplicate, no loss from a half-applied batch).
        var finish = await Cli.RunAsync("sync", "--data", a, "--upstream", upstream);
        Assert.True(finish.ExitCode == 0, finish.ToString());
        var status = await Cli.RunAsync("status", "--data", a, "--json");
        using var json = System.Text.Json.JsonDocument.Parse(status.Output);
        foreach (var domain in json.RootElement.GetProperty("domains").EnumerateArray().Where(d => d.GetProperty("status").GetString() == "present"))
        {
            Assert.All(domain.GetProperty("tables").EnumerateArray().Where(t => t.GetProperty("enabled").GetBoolean()), t => Assert.Equal(0, t.GetProperty("pendingLocal").GetInt64()));
        }

        await using var connection = new Npgsql.NpgsqlConnection(upstream);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM entities.events", connection);
        Assert.Equal(LocalCount(a, "entities.db", "events"), (long)(await count.ExecuteScalarAsync())!);
    }

    private static long LocalCount(string dataFolder, string file, string table)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataFolder, file)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    private static FilixProcess StartDaemon(string dataFolder, string upstream) =>
        FilixProcess.Start(["sync", "--watch", "--data", dataFolder], new Dictionary<string, string?> { ["FILIX_UPSTREAM"] = upstream });

    /// <summary>Both daemons opened their databases and finished their first full sync ("Caught up", logged once).</summary>
    private static async Task WaitUntilSyncingAsync(params FilixProcess[] daemons)
    {
        foreach (var daemon in daemons)
        {
            await daemon.WaitForErrorAsync(e => e.Contains("Caught up", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "finish its first sync");
        }
    }

    private static string Logs(FilixProcess a, FilixProcess b) => $"=== daemon A\n{a}\n=== daemon B\n{b}";
}

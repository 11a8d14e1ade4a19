using System.Text.Json;
using Filix.Testing;
using Filix.Testing.Postgres;

namespace Filix.Cli.Tests.Sync;

/// <summary>
/// <c>filix sync</c> and <c>filix status</c> against a real Postgres, with two data folders as two machines: rows
/// written in one (typed API and Python's sqlite3) are readable in the other after both sync, the report says what
/// moved per table (text and --json), and status shows what is pending and how far behind upstream a machine is.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class SyncCommandTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Two_machines_share_rows_written_with_the_typed_API_and_with_sqlite3()
    {
        var upstream = await postgres.CreateDatabaseAsync("cli_sync");
        using var temp = TempDirectory.Create("cli-sync");
        var a = temp.File("a");
        var b = temp.File("b");
        Directory.CreateDirectory(a);
        await SyncMachines.WriteTypedAsync(a, "person:typed", "Written with the typed API");
        SyncMachines.WriteWithPython(a, "person:python", "Written with sqlite3");

        var pushA = await Cli.RunAsync("sync", "--data", a, "--upstream", upstream);
        var pullB = await Cli.RunAsync("sync", "--data", b, "--upstream", upstream, "--json");

        Assert.True(pushA.ExitCode == 0, pushA.ToString());
        Assert.Matches(@"(?m)^entities\.entities\s+2\s+0\s+0\s*$", pushA.Output);
        Assert.Matches(@"(?m)^entities\.events\s+1\s+0\s+0\s*$", pushA.Output);
        Assert.Matches(@"(?m)^music\.tracks\s+optional, not enabled here", pushA.Output);
        Assert.True(pullB.ExitCode == 0, pullB.ToString());
        using var json = JsonDocument.Parse(pullB.Output);
        Assert.Equal("sync", json.RootElement.GetProperty("command").GetString());
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(Path.GetFullPath(b), json.RootElement.GetProperty("dataFolder").GetString());
        Assert.Matches($@"^127\.0\.0\.1:{postgres.Cluster.Port}/cli_sync_\d+ \(user postgres\)$", json.RootElement.GetProperty("upstream").GetString());
        var entities = Table(json, "entities", "entities");
        Assert.Equal(2, entities.GetProperty("pulled").GetInt64());
        Assert.Equal(0, entities.GetProperty("pushed").GetInt64());
        Assert.Equal(1, Table(json, "entities", "events").GetProperty("pulled").GetInt64());
        Assert.True(Table(json, "music", "tracks").GetProperty("skipped").GetBoolean());

        Assert.Equal("Written with the typed API", SyncMachines.ReadName(b, "person:typed"));
        Assert.Equal("Written with sqlite3", SyncMachines.ReadName(b, "person:python"));
        Assert.False(File.Exists(Path.Combine(b, "files.db")), "the local-only domain is not created by sync");
        Assert.False(File.Exists(Path.Combine(b, "music.db")), "an optional domain not enabled here is not created by sync");

        // Again: nothing moves (a pulled row does not come back as a push).
        var again = await Cli.RunAsync("sync", "--data", b, "--upstream", upstream);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Matches(@"(?m)^total\s+0\s+0\s+0\s", again.Output);
    }

    [Fact]
    public async Task Status_shows_pending_changes_the_last_push_and_the_lag_behind_upstream()
    {
        var upstream = await postgres.CreateDatabaseAsync("cli_status");
        using var temp = TempDirectory.Create("cli-sync");
        var a = temp.File("a");
        var b = temp.File("b");
        Directory.CreateDirectory(a);
        Assert.Equal(0, (await Cli.RunAsync("sync", "--data", b, "--upstream", upstream)).ExitCode); // b exists and is up to date
        await SyncMachines.WriteTypedAsync(a, "person:one", "One");
        SyncMachines.WriteWithPython(a, "person:two", "Two");

        var pending = await Cli.RunAsync("status", "--data", a, "--json");
        Assert.True(pending.ExitCode == 0, pending.ToString());
        using (var json = JsonDocument.Parse(pending.Output))
        {
            Assert.Equal("status", json.RootElement.GetProperty("command").GetString());
            Assert.False(json.RootElement.TryGetProperty("upstream", out _));
            Assert.Contains("none given", json.RootElement.GetProperty("upstreamNote").GetString(), StringComparison.Ordinal);
            var entities = Table(json, "entities", "entities");
            Assert.Equal(2, entities.GetProperty("pendingLocal").GetInt64());
            Assert.False(entities.TryGetProperty("lastPush", out _));
            Assert.Equal(0, entities.GetProperty("parked").GetArrayLength());
            Assert.Equal("missing", Domain(json, "papers").GetProperty("status").GetString());
        }

        Assert.Equal(0, (await Cli.RunAsync("sync", "--data", a, "--upstream", upstream)).ExitCode);
        var pushed = await Cli.RunAsync("status", "--data", a, "--json");
        var behind = await Cli.RunAsync("status", "--data", b, "--upstream", upstream, "--json");
        var text = await Cli.RunAsync("status", "--data", b, "--upstream", upstream);

        using (var json = JsonDocument.Parse(pushed.Output))
        {
            var entities = Table(json, "entities", "entities");
            Assert.Equal(0, entities.GetProperty("pendingLocal").GetInt64());
            Assert.True(entities.GetProperty("lastPush").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        Assert.True(behind.ExitCode == 0, behind.ToString());
        using (var json = JsonDocument.Parse(behind.Output))
        {
            Assert.False(json.RootElement.TryGetProperty("upstreamNote", out _));
            Assert.True(Table(json, "entities", "entities").GetProperty("behindUpstream").GetInt64() >= 2);
        }

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches(@"(?m)^entities\.entities\s+yes\s+0\s+0\s+[1-9]", text.Output);
        Assert.Matches(@"(?m)^music\s+missing", text.Output);

        Assert.Equal(0, (await Cli.RunAsync("sync", "--data", b, "--upstream", upstream)).ExitCode);
        var caughtUp = await Cli.RunAsync("status", "--data", b, "--upstream", upstream, "--json");
        using (var json = JsonDocument.Parse(caughtUp.Output))
        {
            Assert.Equal(0, Table(json, "entities", "entities").GetProperty("behindUpstream").GetInt64());
        }
    }

    private static JsonElement Domain(JsonDocument json, string domain) =>
        json.RootElement.GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("domain").GetString() == domain);

    private static JsonElement Table(JsonDocument json, string domain, string table) =>
        Domain(json, domain).GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == table);
}

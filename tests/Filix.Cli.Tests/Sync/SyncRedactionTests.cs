using Filix.Runtime.Sync;
using Filix.Testing;

namespace Filix.Cli.Tests.Sync;

/// <summary>The upstream's password never appears in what sync prints or throws: described as host:port/database
/// (user), scrubbed from any other text, and checked end to end on failed connections.</summary>
public sealed class SyncRedactionTests
{
    private const string Password = "Sekr3t-pw!";

    [Fact]
    public void An_upstream_is_described_by_host_port_database_and_user()
    {
        Assert.Equal("db.example:6543/filix (user sync)", SyncRedaction.Describe($"Host=db.example;Port=6543;Database=filix;Username=sync;Password={Password}"));
        Assert.Equal("localhost:5432/(the user's database) (the login user)", SyncRedaction.Describe("Password=x"));
        Assert.Equal("(an upstream connection string that is not valid)", SyncRedaction.Describe($"Host=db;Password={Password};Nonsense=1"));
    }

    [Theory]
    [InlineData($"Host=db;Username=u;Password={Password}")]
    [InlineData($"Host=db;Username=u;PWD={Password}")]
    [InlineData($"host=db;username=u;password='{Password}'")]
    [InlineData($"Host=db;Password={Password};Nonsense=1")] // not valid for Npgsql: still scrubbed
    [InlineData($"Host=db;Password={Password};Port")] // not even key=value pairs
    public void Scrub_removes_the_password_however_it_is_spelled(string connectionString)
    {
        var text = $"failed with {connectionString} and then {Password} again";

        var scrubbed = SyncRedaction.Scrub(text, connectionString);

        Assert.DoesNotContain(Password, scrubbed, StringComparison.Ordinal);
        Assert.Contains("failed with", scrubbed, StringComparison.Ordinal);
        Assert.Contains(SyncRedaction.Mask, scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_message_is_scrubbed_through_every_inner_exception()
    {
        var connectionString = $"Host=db;Password={Password}";
        var exception = new InvalidOperationException("outer", new ArgumentException($"inner mentions {Password}"));

        var message = SyncRedaction.Message(exception, connectionString);

        Assert.Equal("outer (inner mentions ***)", message);
    }

    [Fact]
    public async Task A_failed_connection_prints_where_and_never_the_password()
    {
        using var temp = TempDirectory.Create("sync-redaction");
        var upstream = $"Host=127.0.0.1;Port=1;Database=filix;Username=sync;Password={Password};Timeout=5";

        var sync = await Cli.RunAsync("sync", "--data", temp.Path, "--upstream", upstream);
        var json = await Cli.RunAsync("sync", "--data", temp.Path, "--upstream", upstream, "--json");
        var status = await Cli.RunAsync("status", "--data", temp.Path, "--upstream", upstream, "--json");
        var invalid = await Cli.RunAsync("sync", "--data", temp.Path, "--upstream", $"Host=127.0.0.1;Password={Password};Nonsense=1");

        Assert.Equal(1, sync.ExitCode);
        Assert.StartsWith("filix: The Postgres upstream 127.0.0.1:1/filix (user sync) is unreachable: ", sync.Error, StringComparison.Ordinal);
        Assert.Contains("Check that Postgres is running", sync.Error, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        Assert.Equal(0, status.ExitCode); // the local state is still shown
        Assert.Contains("unreachable", status.Output, StringComparison.Ordinal);
        Assert.Equal(2, invalid.ExitCode);
        Assert.StartsWith("filix: --upstream is not a valid Postgres connection string", invalid.Error, StringComparison.Ordinal);
        foreach (var result in new[] { sync, json, status, invalid })
        {
            Assert.DoesNotContain(Password, result.Output + result.Error, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFiles(temp.Path, "*.db")); // the upstream is checked before any database is touched
    }

    [Fact]
    public async Task The_upstream_comes_from_FILIX_UPSTREAM_when_not_given_and_is_not_printed_either()
    {
        using var temp = TempDirectory.Create("sync-redaction");
        var environment = new Dictionary<string, string?> { ["FILIX_UPSTREAM"] = $"Host=127.0.0.1;Port=1;Username=envuser;Password={Password};Timeout=5" };

        var result = await FilixProcess.RunAsync(["sync", "--data", temp.Path], environment);
        var missing = await FilixProcess.RunAsync(["sync", "--data", temp.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("127.0.0.1:1/(the user's database) (user envuser) is unreachable", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Output + result.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("give --upstream", missing.Error, StringComparison.Ordinal);
        Assert.Contains("FILIX_UPSTREAM", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_daemon_says_once_that_the_upstream_is_unreachable_never_with_the_password_and_stops_with_0_on_SIGTERM()
    {
        using var temp = TempDirectory.Create("sync-redaction");
        using var daemon = FilixProcess.Start(["sync", "--watch", "--data", temp.Path, "--upstream", $"Host=127.0.0.1;Port=1;Username=sync;Password={Password};Timeout=2"]);

        await daemon.WaitForErrorAsync(e => e.Contains("unreachable", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "report the unreachable upstream");
        await Task.Delay(TimeSpan.FromSeconds(3)); // several retries (backoff from 200 ms)
        daemon.Signal(15);
        await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(daemon.ExitCode == 0, daemon.ToString());
        Assert.Single(daemon.Error.Split('\n'), l => l.Contains("unreachable", StringComparison.Ordinal));
        Assert.Contains("127.0.0.1:1/(the user's database) (user sync)", daemon.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, daemon.Output + daemon.Error, StringComparison.Ordinal);
        Assert.Contains("Stopped syncing", daemon.Error, StringComparison.Ordinal);
    }
}

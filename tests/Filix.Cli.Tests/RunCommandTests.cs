using Filix.Testing;
using System.Text.Json;
using Filix.Cli.Domains;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Tests;

public sealed class RunCommandTests
{
    private static readonly string[] Domains = ["entities", "papers", "contacts", "transcripts", "music", "storage", "files"];

    [Fact]
    public async Task Run_creates_and_fills_seven_databases_in_wal_mode()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");

        var result = await Cli.RunAsync("run", "--data", data, "--scale", Cli.TestScale, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Domains.Select(d => d + ".db").Order(), Directory.GetFiles(data, "*.db").Select(Path.GetFileName).Order());
        using var json = JsonDocument.Parse(result.Output);
        var domains = json.RootElement.GetProperty("domains").EnumerateArray().ToList();
        Assert.Equal(Domains, domains.Select(d => d.GetProperty("domain").GetString()));
        foreach (var domain in domains)
        {
            var name = domain.GetProperty("domain").GetString()!;
            Assert.Equal("seeded", domain.GetProperty("status").GetString());
            Assert.Equal("wal", domain.GetProperty("journalMode").GetString());
            Assert.True(domain.GetProperty("bytes").GetInt64() > 0, name);
            Assert.NotEmpty(domain.GetProperty("readBack").EnumerateArray());

            // Every table got rows, and the report's counts are what is in the file.
            var tables = domain.GetProperty("tables").EnumerateArray().ToList();
            Assert.Equal(DomainRegistry.Find(name).Schema.Tables, tables.Select(t => t.GetProperty("table").GetString()));
            foreach (var table in tables)
            {
                var rows = table.GetProperty("rows").GetInt64();
                Assert.True(rows > 0, $"{name}.{table.GetProperty("table").GetString()} is empty");
                Assert.Equal(rows, CountRows(Path.Combine(data, name + ".db"), table.GetProperty("table").GetString()!));
            }
        }

        Assert.Equal(domains.Sum(d => d.GetProperty("rows").GetInt64()), json.RootElement.GetProperty("rows").GetInt64());
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Contains("seeding", result.Error); // progress goes to stderr, leaving stdout pure JSON
    }

    [Fact]
    public async Task Run_is_deterministic_at_the_seed_sizes_it_is_given()
    {
        using var temp = TempDirectory.Create("cli");
        var first = await Cli.RunAsync("run", "--data", temp.File("a"), "--scale", Cli.TestScale, "--json");
        var second = await Cli.RunAsync("run", "--data", temp.File("b"), "--scale", Cli.TestScale, "--json");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(TableCounts(first.Output), TableCounts(second.Output));
        Assert.Equal(Sample(temp.File("a")), Sample(temp.File("b")));
    }

    [Fact]
    public async Task A_second_run_keeps_the_data_and_does_not_recreate_the_files()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        var first = await Cli.RunAsync("run", "--data", data, "--scale", Cli.TestScale, "--json");
        Assert.True(first.ExitCode == 0, first.ToString());
        var created = Domains.ToDictionary(d => d, d => CreatedAt(Path.Combine(data, d + ".db")));
        using (var firstJson = JsonDocument.Parse(first.Output))
        {
            // Creating a database is applying its migrations; the report says so once.
            Assert.All(firstJson.RootElement.GetProperty("domains").EnumerateArray(), d =>
                Assert.Equal("created", d.GetProperty("migrations").GetProperty("change").GetString()));
        }

        Assert.Contains("entities: created, applied " + LiveHistory.Joined("entities"), first.Error, StringComparison.Ordinal);

        // A larger scale would add rows if the run re-seeded: it must not.
        var second = await Cli.RunAsync("run", "--data", data, "--scale", "0.05", "--json");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(TableCounts(first.Output), TableCounts(second.Output));
        using var json = JsonDocument.Parse(second.Output);
        Assert.All(json.RootElement.GetProperty("domains").EnumerateArray(), d => Assert.Equal("kept", d.GetProperty("status").GetString()));
        Assert.All(json.RootElement.GetProperty("domains").EnumerateArray(), d => Assert.False(d.TryGetProperty("migrations", out _)));
        Assert.Equal(created, Domains.ToDictionary(d => d, d => CreatedAt(Path.Combine(data, d + ".db"))));

        var text = await Cli.RunAsync("run", "--data", data, "--scale", Cli.TestScale);
        Assert.Contains("kept", text.Output);
        Assert.Contains("never wipes", text.Output);
    }

    [Fact]
    public async Task Report_describes_the_databases_without_changing_them()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        var run = await Cli.RunAsync("run", "--data", data, "--scale", Cli.TestScale, "--json");
        File.Delete(Path.Combine(data, "music.db"));

        foreach (var command in new[] { "report" }) // "status" was its alias; it is now the sync status (StatusCommand)
        {
            var result = await Cli.RunAsync(command, "--data", data, "--json");

            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(result.Output);
            Assert.Equal("report", json.RootElement.GetProperty("command").GetString());
            var music = json.RootElement.GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("domain").GetString() == "music");
            Assert.Equal("missing", music.GetProperty("status").GetString());
            Assert.False(File.Exists(Path.Combine(data, "music.db")), "report must not create a database");
            var entities = json.RootElement.GetProperty("domains")[0];
            Assert.Equal("present", entities.GetProperty("status").GetString());
            Assert.Equal(TableCounts(run.Output)["entities.events"], entities.GetProperty("tables")[1].GetProperty("rows").GetInt64());
        }

        var textReport = await Cli.RunAsync("report", "--data", data);
        Assert.Contains("entities", textReport.Output);
        Assert.Contains("missing", textReport.Output);
    }

    [Fact]
    public async Task Report_on_a_folder_that_does_not_exist_says_how_to_create_it()
    {
        using var temp = TempDirectory.Create("cli");
        var missing = temp.File("nowhere");

        var result = await Cli.RunAsync("report", "--data", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("filix: There is no data folder at", result.Error);
        Assert.Contains("filix run", result.Error);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task Data_pointing_at_a_regular_file_is_a_clear_error()
    {
        using var temp = TempDirectory.Create("cli");
        var file = temp.File("data");
        await File.WriteAllTextAsync(file, "not a folder");

        var result = await Cli.RunAsync("run", "--data", file, "--scale", Cli.TestScale);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"filix: --data '{file}' is a file, not a folder. Give the folder that holds (or should hold) the domain databases, such as ./data.", result.Error.Trim());
        Assert.DoesNotContain(" at Filix.", result.Error); // no stack trace
        Assert.Equal("not a folder", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_database_file_that_is_not_filix_is_reported_and_left_untouched()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        Directory.CreateDirectory(data);
        var foreign = Path.Combine(data, "papers.db");
        var bytes = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(foreign, bytes);

        var result = await Cli.RunAsync("run", "--data", data, "--scale", Cli.TestScale, "--json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var papers = json.RootElement.GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("domain").GetString() == "papers");
        Assert.Equal("error", papers.GetProperty("status").GetString());
        Assert.Contains("is not a SQLite database", papers.GetProperty("error").GetString());
        Assert.Contains("filix: papers: ", result.Error);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(foreign));
        // The other domains were still created and filled.
        Assert.Equal(6, json.RootElement.GetProperty("domains").EnumerateArray().Count(d => d.GetProperty("status").GetString() == "seeded"));
    }

    [Fact]
    public async Task A_database_that_already_holds_rows_is_never_seeded_and_empty_tables_are_pointed_out()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        Directory.CreateDirectory(data);
        var bucket = new Filix.Domains.Storage.Bucket { Name = "my-bucket", Endpoint = "https://sos-ch-dk-2.exo.io", Region = "ch-dk-2" };
        await using (var storage = await Filix.Domains.Storage.StorageDatabase.OpenInFolderAsync(data))
        {
            await storage.Buckets.InsertAsync(bucket);
        }

        var result = await Cli.RunAsync("run", "--data", data, "--scale", Cli.TestScale, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var report = json.RootElement.GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("domain").GetString() == "storage");
        Assert.Equal("kept", report.GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("rows").GetInt64());
        Assert.StartsWith("objects, scans are empty.", report.GetProperty("note").GetString());
        await using (var storage = await Filix.Domains.Storage.StorageDatabase.OpenInFolderAsync(data))
        {
            Assert.Equal(bucket, await storage.Buckets.GetAsync("my-bucket"));
        }
    }

    [Fact]
    public async Task Cancelling_a_run_exits_130_and_says_what_was_kept()
    {
        using var temp = TempDirectory.Create("cli");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await FilixCli.RunAsync(["run", "--data", temp.Path, "--scale", Cli.TestScale], output, error, cancelled.Token);

        Assert.Equal(130, exitCode);
        Assert.StartsWith("filix: cancelled", error.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("11")]
    public async Task A_scale_out_of_range_is_a_usage_error(string scale)
    {
        using var temp = TempDirectory.Create("cli");

        var result = await Cli.RunAsync("run", "--data", temp.Path, "--scale", scale);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("filix: --scale must be above 0 and at most 10", result.Error);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    private static Dictionary<string, long> TableCounts(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("domains").EnumerateArray()
            .SelectMany(d => d.GetProperty("tables").EnumerateArray().Select(t => (Key: d.GetProperty("domain").GetString() + "." + t.GetProperty("table").GetString(), Rows: t.GetProperty("rows").GetInt64())))
            .ToDictionary(x => x.Key, x => x.Rows);
    }

    private static long CountRows(string path, string table)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    private static string CreatedAt(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM _filix_meta WHERE key = 'created_at'";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>A few rows of generated data from each domain, to compare two runs.</summary>
    private static string Sample(string data)
    {
        var rows = new List<string>();
        foreach (var (domain, sql) in new[]
                 {
                     ("entities", "SELECT id || name FROM entities ORDER BY id LIMIT 5"),
                     ("papers", "SELECT id || title || authors FROM papers ORDER BY id LIMIT 5"),
                     ("contacts", "SELECT id || display_name FROM people ORDER BY id LIMIT 5"),
                     ("storage", "SELECT key || etag FROM objects ORDER BY bucket, key LIMIT 5"),
                     ("files", "SELECT path || size FROM files ORDER BY path LIMIT 5"),
                 })
        {
            using var connection = Open(Path.Combine(data, domain + ".db"));
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(reader.GetString(0));
            }
        }

        return string.Join('\n', rows);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}

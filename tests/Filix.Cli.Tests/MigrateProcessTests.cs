using Filix.Testing;
using System.Diagnostics;
using Filix.Cli.Domains;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Tests;

/// <summary>
/// Two real <c>filix migrate</c> processes started together on the same database: each migration is applied (or
/// adopted) exactly once, and both succeed. SQLite's write lock is what makes this safe across processes, which
/// threads in one process cannot show.
/// </summary>
public sealed class MigrateProcessTests
{
    [Fact]
    public async Task Two_processes_migrating_a_new_database_at_once_apply_each_migration_once()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        Directory.CreateDirectory(data);

        var outputs = await RunTwiceAtOnceAsync("migrate", "--data", data, "--domain", "entities");

        AssertAppliedOnce(Path.Combine(data, "entities.db"), outputs, "applied");
    }

    [Fact]
    public async Task Two_processes_migrating_a_database_made_before_migrations_adopt_it_once()
    {
        using var temp = TempDirectory.Create("cli");
        var data = temp.File("data");
        var path = await PreMigrationDatabase.CreateEntitiesAsync(data);

        var outputs = await RunTwiceAtOnceAsync("migrate", "--data", data, "--domain", "entities");

        AssertAppliedOnce(path, outputs, "adopted");
    }

    /// <summary>One process did the work (<paramref name="verb"/> every migration), the other found it done, and the
    /// history table has each migration once.</summary>
    private static void AssertAppliedOnce(string path, string[] outputs, string verb)
    {
        var migrations = DomainRegistry.Find("entities").Schema.Migrations;
        Assert.NotEmpty(migrations);
        foreach (var migration in migrations)
        {
            Assert.Single(outputs, o => o.Contains($"{verb} {migration}", StringComparison.Ordinal));
        }

        var idle = Assert.Single(outputs, o => !o.Contains(verb, StringComparison.Ordinal));
        Assert.Contains("entities (" + path + "): up to date", idle, StringComparison.Ordinal);
        var busy = Assert.Single(outputs, o => o.Contains(verb, StringComparison.Ordinal));
        Assert.DoesNotContain("up to date", busy, StringComparison.Ordinal);

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, count(*) FROM _filix_migrations GROUP BY id ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<(string Id, long Count)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        Assert.Equal(migrations.Select(m => (m.Id, 1L)), rows);
    }

    /// <summary>Starts two <c>dotnet filix.dll</c> processes back to back, waits for both, and returns their output;
    /// both must exit 0.</summary>
    private static async Task<string[]> RunTwiceAtOnceAsync(params string[] args)
    {
        var processes = new[] { Start(args), Start(args) };
        try
        {
            var runs = processes.Select(async process =>
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await process.WaitForExitAsync(timeout.Token);
                var text = await output;
                Assert.True(process.ExitCode == 0, $"filix {string.Join(' ', args)} exited {process.ExitCode}:\n{text}\n{await errors}");
                return text;
            });
            return await Task.WhenAll(runs);
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }
        }
    }

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "filix.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}

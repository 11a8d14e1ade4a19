using System.Diagnostics;
using System.Text.Json;

namespace Filix.Concurrency.Tests;

/// <summary><c>filix bench writers</c> end to end: real processes, real files; the figures are not asserted
/// (timings depend on the machine), the accounting is: every acknowledged row stored, no errors.</summary>
public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("filix", "log", "2")]
    [InlineData("naive", "events", "1")]
    public async Task Bench_writers_reports_its_figures_as_json_and_stores_what_it_acknowledged(string mode, string workload, string processes)
    {
        using var temp = new TempDatabase();
        var (exit, output, errors) = await RunFilixAsync(
            "bench", "writers", "--mode", mode, "--workload", workload, "--writers", "4", "--processes", processes,
            "--seconds", "1", "--data", temp.Folder, "--json");
        Assert.True(exit == 0, $"exit {exit}: {output} {errors}");

        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        foreach (var field in new[] { "rows_per_sec", "p50_ms", "p99_ms", "max_ms" })
        {
            Assert.True(root.GetProperty(field).GetDouble() >= 0, field);
        }

        var acknowledged = root.GetProperty("acknowledged").GetInt64();
        Assert.True(acknowledged > 0);
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        Assert.Equal(int.Parse(processes), root.GetProperty("acknowledged_per_process").GetArrayLength());
        if (workload == "log")
        {
            Assert.Equal(acknowledged, root.GetProperty("stored").GetInt64());
        }

        // The benchmark cleans up after itself.
        Assert.Empty(Directory.GetDirectories(temp.Folder));
    }

    [Fact]
    public async Task Bench_writers_explains_impossible_settings()
    {
        var (exit, _, errors) = await RunFilixAsync("bench", "writers", "--writers", "2", "--processes", "4", "--seconds", "1");
        Assert.Equal(1, exit);
        Assert.Contains("at least one writer per process", errors);
    }

    [Theory]
    [InlineData("--writers 0", "--writers (0) must be at least 1.")]
    [InlineData("--processes 0", "--processes (0) must be at least 1.")]
    [InlineData("--seconds 0", "--seconds (0) must be above 0.")]
    [InlineData("--mode ceiling --ceiling-batch 0", "--ceiling-batch (0) must be at least 1.")]
    public async Task Bench_writers_names_the_setting_that_is_out_of_range(string args, string message)
    {
        var (exit, output, errors) = await RunFilixAsync(["bench", "writers", .. args.Split(' ')]);
        Assert.True(exit == 1, $"exit {exit}: {output} {errors}");
        Assert.Equal("filix bench writers: " + message, errors.Trim());
    }

    [Fact]
    public async Task Bench_writers_ceiling_batch_sets_the_rows_per_transaction()
    {
        using var temp = new TempDatabase();
        var (exit, output, errors) = await RunFilixAsync("bench", "writers", "--mode", "ceiling", "--ceiling-batch", "333", "--seconds", "0.2", "--data", temp.Folder, "--json");
        Assert.True(exit == 0, $"exit {exit}: {output} {errors}");
        using var report = JsonDocument.Parse(output);
        var acknowledged = report.RootElement.GetProperty("acknowledged").GetInt64();
        Assert.True(acknowledged > 0 && acknowledged % 333 == 0, $"{acknowledged} rows is not whole transactions of 333");
    }

    [Fact]
    public async Task Bench_writers_without_data_works_in_a_temp_folder_and_leaves_the_working_folder_alone()
    {
        using var work = new TempDatabase();
        using var tmp = new TempDatabase();
        var start = Start("bench", "writers", "--writers", "2", "--seconds", "1", "--json");
        start.WorkingDirectory = work.Folder;
        start.Environment["TMPDIR"] = tmp.Folder; // where Path.GetTempPath points on Unix

        var (exit, output, errors) = await RunAsync(start);

        Assert.True(exit == 0, $"exit {exit}: {output} {errors}");
        using var report = JsonDocument.Parse(output);
        Assert.True(report.RootElement.GetProperty("acknowledged").GetInt64() > 0);
        Assert.Empty(Directory.GetFileSystemEntries(work.Folder)); // no ./data
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Folder));  // its temp folder is gone too
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task Bench_writers_stopped_by_sigterm_deletes_its_folder_and_exits_130(string processes)
    {
        using var temp = new TempDatabase();
        using var process = Process.Start(Start("bench", "writers", "--writers", "2", "--processes", processes, "--seconds", "60", "--data", temp.Folder))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            // Writing has started once the database is there (plus a moment for the writers to get going).
            var until = DateTime.UtcNow.AddSeconds(30);
            while (!Directory.GetFiles(temp.Folder, "*.db", SearchOption.AllDirectories).Any() && DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }

            await Task.Delay(500);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {await output} {await errors}");
        Assert.Contains("interrupted", await errors, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await output);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Folder));
    }

    private static Task<(int Exit, string Output, string Errors)> RunFilixAsync(params string[] args) => RunAsync(Start(args));

    private static ProcessStartInfo Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "filix.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}

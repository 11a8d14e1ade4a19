using System.Diagnostics;
using System.Globalization;
using Filix.Cli.Bench.Schema;
using Filix.Domains.Entities;
using Filix.Runtime;

namespace Filix.Cli.Bench;

/// <summary>
/// Runs <c>filix bench writers</c>: prepares fresh databases, runs the writers in this process or spreads them
/// over child processes (<c>filix bench writers-worker</c>), and merges what they measured.
/// </summary>
internal static class BenchRunner
{
    /// <summary>Runs the benchmark; <paramref name="stop"/> (a signal) ends it early with an <see cref="OperationCanceledException"/>.</summary>
    public static async Task<BenchReport> RunAsync(BenchSettings settings, FilixShutdown shutdown, CancellationToken stop)
    {
        await PrepareAsync(settings).ConfigureAwait(false);
        var results = settings.Mode == BenchMode.Ceiling
            ? [WriterLoop.RunCeiling(settings, settings.CeilingBatch, stop)]
            : settings.Processes == 1
                ? [(await RunHereAsync(settings, 0, settings.Writers, shutdown, stop).ConfigureAwait(false))!]
                : await RunInChildrenAsync(settings, stop).ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
        var stored = await CountStoredAsync(settings).ConfigureAwait(false);
        return BenchReport.From(settings, results, stored);
    }

    /// <summary>
    /// One process's writers, in this process: opens the target, waits for <paramref name="start"/> when given (a
    /// worker process's "ready"/"go" with its parent; null when it says not to start), then writes until the time is
    /// up or <paramref name="stop"/>.
    /// </summary>
    public static async Task<WorkerResult?> RunHereAsync(BenchSettings settings, int process, int writers, FilixShutdown? shutdown, CancellationToken stop, Func<Task<bool>>? start = null)
    {
        await using var target = await BenchTarget.OpenAsync(settings, process, writers, shutdown).ConfigureAwait(false);
        if (start is not null && !await start().ConfigureAwait(false))
        {
            return null;
        }

        return await WriterLoop.RunAsync(settings, target, writers, stop).ConfigureAwait(false);
    }

    /// <summary>Creates the databases (and, for events, the entities they refer to) before the clock starts.</summary>
    private static async Task PrepareAsync(BenchSettings settings)
    {
        if (settings.Mode == BenchMode.Postgres)
        {
            await PreparePostgresAsync(settings).ConfigureAwait(false);
            return;
        }

        if (settings.Workload == BenchWorkload.Log)
        {
            await using var log = await BenchDatabase.OpenAsync(settings.DatabasePath, settings.FilixOptions).ConfigureAwait(false);
            await BenchCapture.ApplyAsync(settings, log.Database).ConfigureAwait(false);
            return;
        }

        await using var entities = await EntitiesDatabase.OpenAsync(settings.DatabasePath, settings.FilixOptions).ConfigureAwait(false);
        await entities.Entities.UpsertManyAsync(BenchRows.Entities()).ConfigureAwait(false);
        await BenchCapture.ApplyAsync(settings, entities.Database).ConfigureAwait(false);
    }

    private static async Task PreparePostgresAsync(BenchSettings settings)
    {
        await using var source = PostgresTarget.DataSource(settings, 1);
        await using var connection = await source.OpenConnectionAsync().ConfigureAwait(false);
        // The tables go where the migrations would put them and the adapters address them: the domain's own schema.
        var schema = settings.Workload == BenchWorkload.Log ? BenchSchema.Definition : EntitiesSchema.Definition;
        var quoted = "\"" + schema.PostgresSchema + "\"";
        await using (var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false))
        {
            var drop = settings.Workload == BenchWorkload.Log ? "DROP TABLE IF EXISTS \"agent_log\"" : "DROP TABLE IF EXISTS \"events\", \"entities\"";
            var statements = new[] { $"CREATE SCHEMA IF NOT EXISTS {quoted}", $"SET LOCAL search_path TO {quoted}", drop }.Concat(schema.PostgresDdl);
            foreach (var statement in statements)
            {
                await using var command = new Npgsql.NpgsqlCommand(statement, connection);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await transaction.CommitAsync().ConfigureAwait(false);
        }

        if (settings.Workload == BenchWorkload.Events)
        {
            await EntitiesUpstream.UpsertAsync(connection, BenchRows.Entities()).ConfigureAwait(false);
        }
    }

    /// <summary>Rows in the table after the run: for the log every acknowledged write must be there, once.</summary>
    private static async Task<long> CountStoredAsync(BenchSettings settings)
    {
        if (settings.Mode == BenchMode.Postgres)
        {
            await using var source = PostgresTarget.DataSource(settings, 1);
            await using var connection = await source.OpenConnectionAsync().ConfigureAwait(false);
            return settings.Workload == BenchWorkload.Log
                ? await AgentLogUpstream.CountAsync(connection).ConfigureAwait(false)
                : await EventsUpstream.CountAsync(connection).ConfigureAwait(false);
        }

        if (settings.Workload == BenchWorkload.Log)
        {
            await using var log = await BenchDatabase.OpenAsync(settings.DatabasePath, settings.FilixOptions).ConfigureAwait(false);
            return await log.AgentLog.CountAsync().ConfigureAwait(false);
        }

        await using var entities = await EntitiesDatabase.OpenAsync(settings.DatabasePath, settings.FilixOptions).ConfigureAwait(false);
        return await entities.Events.CountAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Starts one worker per process, waits until every one has opened its database ("ready"), starts them
    /// together ("go" on stdin), and collects their summaries and latency files.
    /// </summary>
    private static async Task<WorkerResult[]> RunInChildrenAsync(BenchSettings settings, CancellationToken stop)
    {
        var children = new List<Process>();
        try
        {
            for (var i = 0; i < settings.Processes; i++)
            {
                children.Add(StartWorker(settings, i));
            }

            foreach (var child in children)
            {
                var line = await child.StandardOutput.ReadLineAsync(stop).ConfigureAwait(false);
                if (line != "ready")
                {
                    throw new BenchException($"A worker process failed to start (pid {child.Id}): {line} {await child.StandardError.ReadToEndAsync(stop).ConfigureAwait(false)}");
                }
            }

            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("go".AsMemory(), stop).ConfigureAwait(false);
                await child.StandardInput.FlushAsync(stop).ConfigureAwait(false);
            }

            var results = new WorkerResult[children.Count];
            for (var i = 0; i < children.Count; i++)
            {
                var child = children[i];
                var summary = await child.StandardOutput.ReadLineAsync(stop).ConfigureAwait(false);
                await child.WaitForExitAsync(stop).ConfigureAwait(false);
                if (child.ExitCode != 0 || summary is null)
                {
                    throw new BenchException($"Worker process {i} (pid {child.Id}) failed with exit code {child.ExitCode}: {summary} {await child.StandardError.ReadToEndAsync(stop).ConfigureAwait(false)}");
                }

                var latencyFile = LatencyFile(settings, i);
                results[i] = WorkerResult.FromJsonLine(summary, WorkerResult.ReadLatencies(latencyFile));
                File.Delete(latencyFile);
            }

            return results;
        }
        finally
        {
            foreach (var child in children)
            {
                if (!child.HasExited)
                {
                    // Interrupted or failed: the run is void, and the folder is about to be deleted.
                    child.Kill();
                    child.WaitForExit();
                }

                child.Dispose();
            }
        }
    }

    public static string LatencyFile(BenchSettings settings, int process) =>
        Path.Combine(settings.Folder, "latency-" + process.ToString(CultureInfo.InvariantCulture) + ".bin");

    private static Process StartWorker(BenchSettings settings, int index)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Run as `dotnet filix.dll`, the host is dotnet and the program is the entry assembly.
        if (string.Equals(Path.GetFileNameWithoutExtension(Environment.ProcessPath), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(BenchRunner).Assembly.Location);
        }

        foreach (var arg in BenchArguments.ForWorker(settings, index))
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new BenchException($"Could not start a worker process ({start.FileName}).");
    }
}

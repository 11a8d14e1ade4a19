using System.CommandLine;
using Filix.Cli.Bench;
using Filix.Runtime;

namespace Filix.Cli.Commands;

/// <summary>
/// <c>filix bench writers</c>: many writers in one or several processes writing one database at full speed,
/// through Filix or a baseline; prints rows/s, latency percentiles and errors (docs/benchmarks.md, "Many writers").
/// </summary>
internal static class BenchWritersCommand
{
    private static readonly Option<int> Writers = new("--writers") { Description = "Concurrent writers, in all processes together.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Processes = new("--processes") { Description = "Processes to spread the writers over.", DefaultValueFactory = _ => 1 };
    private static readonly Option<double> Seconds = new("--seconds") { Description = "How long to write.", DefaultValueFactory = _ => 5 };
    private static readonly Option<string> Mode = Choice("--mode", "filix", "What writes: filix (group-commit writer), naive (a connection per writer, busy_timeout), postgres, ceiling (one thread, large transactions).", "filix", "naive", "postgres", "ceiling");
    private static readonly Option<string> Workload = Choice("--workload", "log", "What is written: log (append-only agent log) or events (upserts by entity, role, role type).", "log", "events");
    private static readonly Option<string> Synchronous = Choice("--synchronous", "normal", "SQLite durability: normal (survives a process kill) or full (also power loss).", "normal", "full");
    private static readonly Option<string> LockHandoff = Choice("--lock-handoff", "flock", "Mode filix across processes: flock (kernel-queued handoff, the default) or busy-timeout (SQLite's sleep-and-retry only).", "flock", "busy-timeout");
    private static readonly Option<string> ShareWriter = Choice("--share-writer", "on", "Mode filix across processes: on (every process sends its writes to one owner process's writer, the default) or off (each process commits through its own writer and they hand the lock over).", "on", "off");
    private static readonly Option<string> Capture = Choice("--capture", "on", "SQLite modes: on (the written table keeps its sync change-capture triggers, as in use) or off (they are dropped), to measure what capture costs a write.", "on", "off");
    private static readonly Option<int> CeilingBatch = new("--ceiling-batch") { Description = "Mode ceiling: rows per transaction.", DefaultValueFactory = _ => 1000, Hidden = true };
    private static readonly Option<string?> Upstream = new("--upstream") { Description = "Postgres connection string for --mode postgres." };
    private static readonly Option<string> Folder = new("--folder") { Description = "The parent's benchmark folder.", Required = true };
    private static readonly Option<int> ProcessIndex = new("--process-index") { Description = "This worker's index.", Required = true };

    public static Command Create(GlobalOptions options)
    {
        var command = new Command("writers",
            "Measure many concurrent writers on one database: rows/s, p50/p99/max latency, errors. The database goes in a new folder " +
            "under the system's temp folder (under --data when it is given), deleted when the run ends or is interrupted.")
        {
            Writers, Processes, Seconds, Mode, Workload, Synchronous, LockHandoff, ShareWriter, Capture, CeilingBatch, Upstream,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, options, cancellationToken));
        return command;
    }

    /// <summary>The hidden child-process side of <c>--processes N</c>.</summary>
    public static Command CreateWorker()
    {
        var command = new Command("writers-worker", "One worker process of 'filix bench writers'.")
        {
            Writers, Seconds, Mode, Workload, Synchronous, LockHandoff, ShareWriter, Capture, CeilingBatch, Upstream, Folder, ProcessIndex,
        };
        command.Hidden = true;
        command.SetAction(RunWorkerAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, GlobalOptions options, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;

        // The benchmark's files are scratch: ./data (--data's default) is for the domain databases, not for them.
        var folder = parse.GetResult(options.Data) is { Implicit: false }
            ? Directory.CreateDirectory(Path.Combine(Path.GetFullPath(parse.GetValue(options.Data)!), "filix-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName
            : Directory.CreateTempSubdirectory("filix-bench-").FullName;

        // SIGINT/SIGTERM stop the writers and unwind through the finally below (which deletes the folder) instead of
        // FilixShutdown ending the process once the databases are drained.
        using var shutdown = FilixShutdown.Install();
        shutdown.ExitAfterDrain = false;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Token);
        try
        {
            var settings = Settings(parse, folder, parse.GetValue(Writers), parse.GetValue(Processes));
            var report = await BenchRunner.RunAsync(settings, shutdown, linked.Token).ConfigureAwait(false);
            await output.WriteLineAsync(parse.GetValue(options.Json) ? report.ToJson() : report.ToText()).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is BenchException or FilixException or Npgsql.NpgsqlException)
        {
            await error.WriteLineAsync("filix bench writers: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            await error.WriteLineAsync($"filix bench writers: interrupted; nothing measured is reported, and {folder} is deleted.").ConfigureAwait(false);
            return 130;
        }
        finally
        {
            // The databases are closed by now: a signal's drain and the runner's own dispose share one close, which
            // the runner awaited; worker processes were waited for or killed.
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RunWorkerAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var settings = Settings(parse, parse.GetValue(Folder)!, parse.GetValue(Writers), 1);
        var index = parse.GetValue(ProcessIndex);
        var output = parse.InvocationConfiguration.Output;
        using var shutdown = FilixShutdown.Install();

        // Open first, then wait for the parent's "go": every process starts writing at the same moment.
        var result = await BenchRunner.RunHereAsync(settings, index, settings.Writers, shutdown, shutdown.Token, async () =>
        {
            await output.WriteLineAsync("ready").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) == "go";
        }).ConfigureAwait(false);
        if (result is null)
        {
            return 2;
        }

        result.WriteLatencies(BenchRunner.LatencyFile(settings, index));
        await output.WriteLineAsync(result.ToJsonLine()).ConfigureAwait(false);
        return 0;
    }

    private static BenchSettings Settings(ParseResult parse, string folder, int writers, int processes)
    {
        var settings = new BenchSettings
        {
            Mode = Enum.Parse<BenchMode>(parse.GetValue(Mode)!, ignoreCase: true),
            Workload = Enum.Parse<BenchWorkload>(parse.GetValue(Workload)!, ignoreCase: true),
            Writers = writers,
            Processes = processes,
            Seconds = parse.GetValue(Seconds),
            Synchronous = Enum.Parse<SynchronousMode>(parse.GetValue(Synchronous)!, ignoreCase: true),
            Upstream = parse.GetValue(Upstream),
            LockHandoff = parse.GetValue(LockHandoff) == "flock",
            ShareWriter = parse.GetValue(ShareWriter) == "on",
            Capture = parse.GetValue(Capture) == "on",
            CeilingBatch = parse.GetValue(CeilingBatch),
            Folder = folder,
        };
        var problem = settings switch
        {
            { Writers: < 1 } => $"--writers ({settings.Writers}) must be at least 1.",
            { Processes: < 1 } => $"--processes ({settings.Processes}) must be at least 1.",
            _ when settings.Writers < settings.Processes =>
                $"--processes ({settings.Processes}) is more than --writers ({settings.Writers}), but there must be at least one writer per process. " +
                $"Use at most {settings.Writers} processes or at least {settings.Processes} writers.",
            { Seconds: <= 0 } => FormattableString.Invariant($"--seconds ({settings.Seconds}) must be above 0."),
            { CeilingBatch: < 1 } => $"--ceiling-batch ({settings.CeilingBatch}) must be at least 1.",
            _ => null,
        };
        return problem is null ? settings : throw new BenchException(problem);
    }

    private static Option<string> Choice(string name, string defaultValue, string description, params string[] values)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(values);
        return option;
    }
}

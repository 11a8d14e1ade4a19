using System.Globalization;
using Filix.Concurrency.Worker;
using Filix.Runtime;
using Microsoft.Data.Sqlite;

// Usage:
//   write <db> <process> <tasks> <rows-per-task> <normal|full> [duplicates] [shared]
//       each task writes rows <process>-<task>-<n>; with "duplicates" every 10th write repeats an earlier id and
//       must be rejected. Prints "ack <id>" per acknowledged write, "rejected <id>" per rejected duplicate.
//   serve <db> <process> <tasks> <normal|full> [shared]
//       writes until SIGINT/SIGTERM, then drains through FilixShutdown and exits 0.
// "shared": write rows as data (FilixDatabase.ExecuteAsync into shared_log), so they go to the process that owns
// the shared writer; prints "role owner|client|alone" after opening; in serve mode "unknown <id>" for a write whose
// outcome Filix could not tell and "failed <id> <message>" for one that failed otherwise (both then go on).
// "chaos=<seed>" (serve, shared): cuts this process's connection to the owner mid-frame now and then (ChaosFaults),
// prints "role owner" again whenever this process becomes the owner, and "hang <id>" for a write unanswered for 40 s.
// Any unexpected error prints "error <message>" and exits 1.
var mode = args[0];
var path = args[1];
var process = args[2];
var tasks = int.Parse(args[3], CultureInfo.InvariantCulture);
var options = new FilixOptions
{
    Synchronous = string.Equals(args[mode == "write" ? 5 : 4], "full", StringComparison.OrdinalIgnoreCase) ? SynchronousMode.Full : SynchronousMode.Normal,
};
var output = TextWriter.Synchronized(Console.Out);
var shared = args.Contains("shared");
var chaos = args.FirstOrDefault(a => a.StartsWith("chaos=", StringComparison.Ordinal)) is { } chaosArg ? int.Parse(chaosArg[6..], CultureInfo.InvariantCulture) : (int?)null;
var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();

try
{
    if (mode == "write")
    {
        var rows = int.Parse(args[4], CultureInfo.InvariantCulture);
        var duplicates = args.Contains("duplicates");
        await using var db = await FilixDatabase.OpenAsync(path, TestSchema.Definition, options);
        ReportRole(db);
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(task => Task.Run(() => WriteRowsAsync(db, task, rows, duplicates))));
    }
    else
    {
        using var shutdown = FilixShutdown.Install();
        var db = shutdown.Register(await FilixDatabase.OpenAsync(path, TestSchema.Definition, options));
        ReportRole(db);
        if (chaos is { } seed && db.Shared is { } sharing)
        {
            sharing.Faults = new ChaosFaults(seed, output);
            _ = Task.Run(() => WatchAsync(db, shutdown.Token));
        }

        output.WriteLine("ready");
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(task => Task.Run(() => ServeAsync(db, task, shutdown.Token))));
        await db.DisposeAsync();
    }

    output.WriteLine("done");
    return 0;
}
catch (Exception ex)
{
    output.WriteLine("error " + ex.ToString().ReplaceLineEndings(" | "));
    return 1;
}

async Task WriteRowsAsync(FilixDatabase db, int task, int rows, bool duplicates)
{
    for (var n = 0; n < rows; n++)
    {
        var repeat = duplicates && n % 10 == 9;
        var row = new TestSchema.Row($"{process}-{task}-{(repeat ? n - 5 : n)}", process, task, n);
        try
        {
            await WriteAsync(db, row, CancellationToken.None);
            output.WriteLine((repeat ? "unexpected-ack " : "ack ") + row.Id);
        }
        catch (FilixException ex) when (repeat && ex.InnerException is SqliteException { SqliteErrorCode: 19 })
        {
            output.WriteLine("rejected " + row.Id);
        }
    }
}

async Task ServeAsync(FilixDatabase db, int task, CancellationToken stop)
{
    for (var n = 0; !stop.IsCancellationRequested; n++)
    {
        var row = new TestSchema.Row($"{process}-{task}-{n}", process, task, n);
        inFlight[row.Id] = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await WriteAsync(db, row, stop);
        }
        catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or FilixException)
        {
            return; // shutting down: this write was not acknowledged, so it may or may not be stored
        }
        catch (FilixException ex) when (shared && ex.Message.Contains("may or may not have been stored", StringComparison.Ordinal))
        {
            output.WriteLine("unknown " + row.Id);
            continue;
        }
        catch (FilixException ex) when (shared)
        {
            output.WriteLine($"failed {row.Id} {ex.Message.ReplaceLineEndings(" ")}");
            continue;
        }
        finally
        {
            inFlight.TryRemove(row.Id, out _);
        }

        output.WriteLine("ack " + row.Id);
    }
}

Task WriteAsync(FilixDatabase db, TestSchema.Row row, CancellationToken cancellationToken) =>
    shared ? TestSchema.WriteSharedAsync(db, row, cancellationToken) : db.WriteAsync(TestSchema.Write, row, cancellationToken);

// The chaos test's eyes: which process owns the writer now, and any write that waits far longer than any route takes.
async Task WatchAsync(FilixDatabase db, CancellationToken stop)
{
    var owner = db.Shared!.IsOwner;
    var reported = new HashSet<string>();
    while (!stop.IsCancellationRequested)
    {
        if (!owner && db.Shared.IsOwner)
        {
            owner = true;
            output.WriteLine("role owner");
        }

        foreach (var (id, since) in inFlight)
        {
            if (System.Diagnostics.Stopwatch.GetElapsedTime(since) > TimeSpan.FromSeconds(40) && reported.Add(id))
            {
                output.WriteLine("hang " + id);
            }
        }

        await Task.Delay(20, CancellationToken.None);
    }
}

void ReportRole(FilixDatabase db)
{
    if (shared)
    {
        output.WriteLine("role " + (db.Shared is { IsOwner: true } ? "owner" : db.Shared is { IsClient: true } ? "client" : "alone"));
    }
}

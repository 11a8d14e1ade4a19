using System.Diagnostics;
using System.Globalization;
using Filix.Reliability.Worker;
using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Runtime.Backups.Restore;
using Microsoft.Data.Sqlite;

// A child of the torture tests; it is meant to be SIGKILLed at any moment. Usage:
//   write <db> <acks> <child> <shared|direct> <normal|full> <tasks> <seed>
//       writes rows <child>-<task>-<n> at full speed (1 to 8 rows per write) until killed; "shared" writes as data
//       through the machine's shared writer (ExecuteAsync), "direct" turns sharing off (own writer, flock handoff).
//       Prints "ready <owner|client|alone>" once open.
//   checkpoint <db> <acks> <child> <writes> <rows-per-write>
//       pins a read snapshot so no checkpoint can copy anything, writes a large WAL through Filix, lets the snapshot
//       go, prints "checkpoint", runs PRAGMA wal_checkpoint(TRUNCATE), prints "checkpointed <ms>".
//   migrate <db>
//       prints "migrating", opens the file with TortureSchema.Rebuild(2) (a table rebuild), prints "migrated <ms>".
//   backup <db>
//       prints "backing-up", takes a verified backup (FilixBackup.Take), prints "backed-up <ms>".
//   restore <db>
//       prints "restoring", restores the latest verified backup (FilixRestore.Restore), prints "restored <ms>".
// Every acknowledged id is appended to <acks> (AckLog) after its write's task completed. An unexpected error prints
// "error <message>" and exits 1; every mode ends by itself after two minutes so no orphan outlives a dead test run.
var output = TextWriter.Synchronized(Console.Out);
var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(2));
try
{
    switch (args[0])
    {
        case "write":
            await WriteAsync(args[1], args[2], args[3], args[4] == "shared", args[5] == "full", Int(args[6]), Int(args[7]));
            break;
        case "checkpoint":
            await CheckpointAsync(args[1], args[2], args[3], Int(args[4]), Int(args[5]));
            break;
        case "migrate":
            output.WriteLine("migrating");
            var watch = Stopwatch.StartNew();
            await using (await FilixDatabase.OpenAsync(args[1], TortureSchema.Rebuild(2), FilixOptions.Default with { ShareWriter = false, CreateIfMissing = false }))
            {
                output.WriteLine("migrated " + watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture));
            }

            break;
        case "backup":
            output.WriteLine("backing-up");
            var backup = Stopwatch.StartNew();
            FilixBackup.Take(args[1], cancellationToken: giveUp.Token);
            output.WriteLine("backed-up " + backup.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture));
            break;
        case "restore":
            output.WriteLine("restoring");
            var restore = Stopwatch.StartNew();
            FilixRestore.Restore(args[1], cancellationToken: giveUp.Token);
            output.WriteLine("restored " + restore.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture));
            break;
        default:
            throw new ArgumentException("unknown mode " + args[0]);
    }

    output.WriteLine("done");
    return 0;
}
catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
{
    output.WriteLine("gave up after two minutes");
    return 0;
}
catch (Exception ex)
{
    output.WriteLine("error " + ex.ToString().ReplaceLineEndings(" | "));
    return 1;
}

async Task WriteAsync(string path, string acks, string child, bool shared, bool full, int tasks, int seed)
{
    var options = FilixOptions.Default with { ShareWriter = shared, Synchronous = full ? SynchronousMode.Full : SynchronousMode.Normal };
    using var log = new AckLog(acks);
    await using var db = await FilixDatabase.OpenAsync(path, TortureSchema.Definition, options, giveUp.Token);
    output.WriteLine("ready");
    await Task.WhenAll(Enumerable.Range(0, tasks).Select(task => Task.Run(async () =>
    {
        var random = new Random(HashCode.Combine(seed, task));
        for (var n = 0; ; )
        {
            giveUp.Token.ThrowIfCancellationRequested();
            var rows = random.Next(1, 9);
            var ids = new string[rows];
            var values = new List<object?>(rows * 4);
            for (var r = 0; r < rows; r++, n++)
            {
                ids[r] = $"{child}-{task}-{n}";
                values.AddRange(TortureSchema.Row(ids[r], child, n, random.Next(8, 64)));
            }

            await db.ExecuteAsync(TortureSchema.Insert, 4, values.ToArray(), giveUp.Token);
            log.Append(ids);
        }
    })));
}

async Task CheckpointAsync(string path, string acks, string child, int writes, int rowsPerWrite)
{
    using var log = new AckLog(acks);
    await using var db = await FilixDatabase.OpenAsync(path, TortureSchema.Definition, FilixOptions.Default with { ShareWriter = false }, giveUp.Token);

    // A reader holding a snapshot from before the writes: no checkpoint (Filix's background passes included) can copy a
    // frame past it, so every page written below stays in the WAL for the one checkpoint the test kills.
    var pin = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
    pin.Open();
    using (var begin = pin.CreateCommand())
    {
        begin.CommandText = "BEGIN; SELECT count(*) FROM items;";
        begin.ExecuteScalar();
    }

    for (var w = 0; w < writes; w++)
    {
        var ids = Enumerable.Range(0, rowsPerWrite).Select(r => $"{child}-{w}-{r}").ToArray();
        await db.ExecuteAsync(TortureSchema.Insert, 4, ids.SelectMany(id => TortureSchema.Row(id, child, w, 1000)).ToArray(), giveUp.Token);
        log.Append(ids);
    }

    pin.Dispose();
    output.WriteLine("checkpoint " + new FileInfo(path + "-wal").Length.ToString(CultureInfo.InvariantCulture));
    var watch = Stopwatch.StartNew();
    using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
    {
        connection.Open();
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using var reader = checkpoint.ExecuteReader();
        reader.Read();
        if (reader.GetInt64(0) != 0)
        {
            throw new InvalidOperationException("the checkpoint was busy: " + reader.GetInt64(1) + " frames, " + reader.GetInt64(2) + " copied");
        }
    }

    output.WriteLine("checkpointed " + watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture));
}

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

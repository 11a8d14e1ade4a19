using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Writing;

/// <summary>
/// Copies the WAL back into the database file from its own thread and connection, so the writer's commits never
/// stall on a checkpoint, and lets the WAL restart with the writer pausing only for the last few frames.
/// </summary>
/// <remarks>
/// <para>SQLite's auto-checkpoint runs inside the COMMIT that crosses 1,000 WAL pages: it copies them into the
/// database file and fsyncs it, and that commit, with every write queued behind it, stalls meanwhile (tens of
/// milliseconds here; measured in docs/benchmarks.md). The writer turns it off; a PASSIVE checkpoint every
/// <see cref="Interval"/> on this connection does the copying and syncing instead (PASSIVE takes no lock a writer or
/// reader waits for).</para>
/// <para>SQLite restarts the WAL from its beginning only when a write transaction starts with every frame copied,
/// and a background pass always trails the writer by what it appended meanwhile. So once the WAL passes
/// <see cref="CatchUp.RestartFrames"/> this thread <em>catches up</em>: it runs passes back to back, each copying what
/// the writer appended during the one before, until one copies only a few (<see cref="CatchUp"/>). Then it stops and
/// offers the writer the rest (<see cref="CompleteIfReady"/>): between two batches the writer copies those few
/// frames itself, and its next transaction restarts the WAL. Measured: the writer's pause fell from 40-50 ms (the
/// frames of a whole interval) to 4-20 ms, mostly the checkpoint's two fsyncs. Should the passes not run (another
/// process's checkpoint holds the lock whenever they try: <see cref="StuckPasses"/> in a row) or the WAL reach
/// <see cref="LimitFrames"/>, the writer runs the checkpoint itself after each batch until one is not busy.</para>
/// <para>Passes run only while this process's writer commits: a process whose writes go to another process's
/// writer (<c>Sharing/</c>) leaves the checkpointing to that one instead of contending for its lock.</para>
/// </remarks>
internal sealed class Checkpointer : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>WAL size (pages) at which the writer completes the checkpoint whatever it costs, should the passes
    /// not run at all (another process's checkpoint holds the lock): 16,000 pages, 64 MiB.</summary>
    public const long LimitFrames = 8 * CatchUp.RestartFrames;

    /// <summary>Failed background passes in a row after which the writer runs the checkpoint itself.</summary>
    public const int StuckPasses = 10;

    /// <summary>How long a converged pass waits for the writer to take over before carrying on (an idle writer).</summary>
    private static readonly TimeSpan OfferTimeout = TimeSpan.FromMilliseconds(50);

    private const int Idle = 0;
    private const int Offered = 1;
    private const int Taken = 2;

    private readonly SqliteConnection? _connection;
    private readonly ManualResetEventSlim _stop = new();
    private readonly ManualResetEventSlim _handedBack = new();
    private readonly Thread? _thread;
    private long _walFrames;
    private long _commits;
    private int _failedPasses;
    private long _writerCheckpoints;
    private long _passes;
    private int _offer;
    private int _disposed;

    /// <param name="path">The database.</param>
    /// <param name="options">Its options.</param>
    /// <param name="wal">False for a database in the rollback journal (<see cref="UnsafeFileSystemMode.ExclusiveRollbackJournal"/>):
    /// there is no WAL to copy, and a second connection could not even read a file its writer holds exclusively (each
    /// pass would wait out busy_timeout, and the close with it), so no connection and no thread are started.</param>
    public Checkpointer(string path, FilixOptions options, bool wal = true)
    {
        if (!wal)
        {
            return;
        }

        _connection = ConnectionPolicy.Open(path, options, readOnly: false, create: false);
        _thread = new Thread(Run) { IsBackground = true, Name = "Filix checkpoint " + Path.GetFileName(path) };
        _thread.Start();
    }

    /// <summary>Tests: every background pass fails, as when another process's checkpoint always holds the lock.</summary>
    internal bool FailPasses { get; set; }

    /// <summary>Checkpoints the writer ran itself so far (tests).</summary>
    public long WriterCheckpoints => Interlocked.Read(ref _writerCheckpoints);

    /// <summary>Background passes run so far (tests).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>Turns off the writer connection's own auto-checkpoint: this class and <see cref="CompleteIfReady"/> do it.</summary>
    public static void TakeOverFrom(SqliteSession writer) => writer.Execute("PRAGMA wal_autocheckpoint = 0");

    /// <summary>Called by the writer after each commit: there is something to copy.</summary>
    public void NoteCommit() => Volatile.Write(ref _commits, _commits + 1);

    /// <summary>
    /// Called by the writer between batches, outside a transaction: copies the last frames (so the next transaction
    /// restarts the WAL) when the background passes have caught up, or when the WAL reached <see cref="LimitFrames"/>.
    /// </summary>
    /// <returns>True when it ran a checkpoint.</returns>
    public bool CompleteIfReady(SqliteSession writer)
    {
        var offered = Interlocked.CompareExchange(ref _offer, Taken, Offered) == Offered;
        if (!offered && Volatile.Read(ref _walFrames) < LimitFrames && Volatile.Read(ref _failedPasses) < StuckPasses)
        {
            return false;
        }

        try
        {
            // (busy, frames, copied): busy means another connection's checkpoint held the lock; try after the next batch.
            Interlocked.Increment(ref _writerCheckpoints);
            using var reader = writer.Command("PRAGMA wal_checkpoint(PASSIVE)", 0).ExecuteReader();
            if (reader.Read() && reader.GetInt64(0) == 0)
            {
                Volatile.Write(ref _walFrames, 0);
                Volatile.Write(ref _failedPasses, 0);
            }

            return true;
        }
        finally
        {
            if (offered)
            {
                Volatile.Write(ref _offer, Idle);
                _handedBack.Set();
            }
        }
    }

    private void Run()
    {
        using var command = _connection!.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        var catchUp = default(CatchUp);
        var step = CatchUpStep.Wait;
        long commitsSeen = 0;
        while (!_stop.Wait(step == CatchUpStep.PassAgain ? TimeSpan.Zero : Interval))
        {
            // A process whose writer is idle (its writes go to another process's writer) leaves the WAL to that one.
            var commits = Volatile.Read(ref _commits);
            if (step == CatchUpStep.Wait && commits == commitsSeen)
            {
                continue;
            }

            commitsSeen = commits;
            Interlocked.Increment(ref _passes);
            if (FailPasses || !TryPass(command, out var walFrames, out var copied))
            {
                // Passes that keep failing (another process's checkpoint holds the lock whenever this one tries)
                // would leave the WAL growing: after StuckPasses in a row the writer tries itself.
                Volatile.Write(ref _failedPasses, _failedPasses + 1);
                catchUp.Failed();
                step = CatchUpStep.Wait;
                continue;
            }

            Volatile.Write(ref _walFrames, walFrames);
            Volatile.Write(ref _failedPasses, 0);
            step = catchUp.After(walFrames, copied);
            if (step == CatchUpStep.OfferToWriter)
            {
                OfferToWriter();
                step = CatchUpStep.Wait;
            }
        }
    }

    /// <summary>One PASSIVE pass; its row is (busy, frames in the WAL, frames copied so far).</summary>
    private static bool TryPass(SqliteCommand command, out long walFrames, out long copied)
    {
        walFrames = copied = 0;
        try
        {
            using var reader = command.ExecuteReader();
            if (!reader.Read() || reader.GetInt64(0) != 0)
            {
                return false;
            }

            walFrames = reader.GetInt64(1);
            copied = reader.GetInt64(2);
            return true;
        }
        catch (SqliteException)
        {
            // A pass that cannot run now (I/O error, database closing) loses nothing: every committed write is in
            // the WAL, and the next pass (or the writer's final TRUNCATE) copies it.
            return false;
        }
    }

    /// <summary>Waits (without starting another pass, which would hold the checkpoint lock) for the writer to copy
    /// the last frames; an idle writer never comes, and the next pass finds nothing new anyway.</summary>
    private void OfferToWriter()
    {
        _handedBack.Reset();
        Volatile.Write(ref _offer, Offered);
        if (WaitHandle.WaitAny([_handedBack.WaitHandle, _stop.WaitHandle], OfferTimeout) == WaitHandle.WaitTimeout
            && Interlocked.CompareExchange(ref _offer, Idle, Offered) == Offered)
        {
            return;
        }

        // The writer took it (or we are stopping): let its pass finish before ours can contend for the lock.
        WaitHandle.WaitAny([_handedBack.WaitHandle, _stop.WaitHandle]);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Set();
        _thread?.Join();
        _connection?.Dispose();
        _stop.Dispose();
        _handedBack.Dispose();
    }
}

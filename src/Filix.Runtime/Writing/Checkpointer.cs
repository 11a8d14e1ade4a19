using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Writing;

/// <summary>
/// Copies the WAL back into the database file from its own thread and connection, so the writer's commits never
/// stall on a checkpoint.
/// </summary>
/// <remarks>
/// SQLite's auto-checkpoint runs inside the COMMIT that crosses 1,000 WAL pages: it copies them into the database
/// file and fsyncs it, and that commit, with every write queued behind it, stalls meanwhile (tens of milliseconds
/// here; measured in docs/benchmarks.md). The writer turns it off; a PASSIVE checkpoint every <see cref="Interval"/>
/// on this connection does the copying and syncing instead (PASSIVE takes no lock a writer or reader waits for).
/// A background pass always trails the writer by what it appended meanwhile, and SQLite restarts the WAL from its
/// beginning only when a transaction starts with everything copied; so once the WAL passes
/// <see cref="RestartFrames"/> the writer runs one PASSIVE checkpoint itself between two batches: it finds only
/// the last few frames left to copy, and its next transaction restarts the WAL. That keeps the file bounded.
/// </remarks>
internal sealed class Checkpointer : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>WAL size (pages) past which the writer completes a checkpoint itself: 4,000 pages, 16 MiB.</summary>
    public const long RestartFrames = 4000;

    private readonly SqliteConnection _connection;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private long _walFrames;
    private int _disposed;

    public Checkpointer(string path, FilixOptions options)
    {
        _connection = ConnectionPolicy.Open(path, options, readOnly: false, create: false);
        _thread = new Thread(Run) { IsBackground = true, Name = "Filix checkpoint " + Path.GetFileName(path) };
        _thread.Start();
    }

    /// <summary>Turns off the writer connection's own auto-checkpoint: this class and <see cref="CompleteIfLarge"/> do it.</summary>
    public static void TakeOverFrom(SqliteSession writer) => writer.Execute("PRAGMA wal_autocheckpoint = 0");

    /// <summary>Called by the writer between batches, outside a transaction: completes the checkpoint (so the
    /// next transaction restarts the WAL) once the last background pass saw it past <see cref="RestartFrames"/>.</summary>
    public void CompleteIfLarge(SqliteSession writer)
    {
        if (Volatile.Read(ref _walFrames) < RestartFrames)
        {
            return;
        }

        Volatile.Write(ref _walFrames, 0);
        writer.Execute("PRAGMA wal_checkpoint(PASSIVE)");
    }

    private void Run()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        while (!_stop.Wait(Interval))
        {
            try
            {
                // One row: (busy, frames in the WAL, frames copied).
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    Volatile.Write(ref _walFrames, reader.GetInt64(1));
                }
            }
            catch (SqliteException)
            {
                // A pass that cannot run now (I/O error, database closing) loses nothing: every committed write is
                // in the WAL, and the next pass (or the writer's final TRUNCATE) copies it.
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Set();
        _thread.Join();
        _connection.Dispose();
        _stop.Dispose();
    }
}

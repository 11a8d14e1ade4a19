namespace Filix.Cli.Bench;

/// <summary>Where one process's writers send their rows, in one of the <see cref="BenchMode"/>s.</summary>
internal abstract class BenchTarget : IAsyncDisposable
{
    /// <summary>True when a write blocks its thread (Microsoft.Data.Sqlite used directly): such writers get a
    /// thread each, as naive code would have, instead of starving the thread pool.</summary>
    public virtual bool Blocking => false;

    /// <summary>Writes row <paramref name="n"/> of <paramref name="writer"/>; completes when it is acknowledged.</summary>
    public abstract ValueTask WriteAsync(int writer, long n, CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static async Task<BenchTarget> OpenAsync(BenchSettings settings, int process, int writers, Runtime.FilixShutdown? shutdown)
    {
        var rows = new BenchRows(process);
        return settings.Mode switch
        {
            BenchMode.Filix => await FilixTarget.OpenAsync(settings, rows, shutdown).ConfigureAwait(false),
            BenchMode.Naive => new NaiveTarget(settings, rows, writers),
            BenchMode.Postgres => new PostgresTarget(settings, rows, writers),
            _ => throw new InvalidOperationException($"Mode {settings.Mode} has no per-write target (the ceiling runs its own loop)."),
        };
    }
}

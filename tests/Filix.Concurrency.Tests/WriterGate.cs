using Filix.Runtime;

namespace Filix.Concurrency.Tests;

/// <summary>
/// Holds the writer thread inside one write, so the writes queued meanwhile are known to form the next batch.
/// </summary>
internal sealed class WriterGate : IDisposable
{
    private readonly ManualResetEventSlim _entered = new();
    private readonly ManualResetEventSlim _release = new();

    private WriterGate(FilixDatabase db) =>
        Held = db.WriteAsync(static (_, gate) =>
        {
            gate._entered.Set();
            gate._release.Wait(TimeSpan.FromSeconds(60));
            return true;
        }, this);

    /// <summary>The blocking write itself.</summary>
    public Task<bool> Held { get; }

    /// <summary>Queues the blocking write and returns once the writer thread is inside it.</summary>
    public static WriterGate Close(FilixDatabase db)
    {
        var gate = new WriterGate(db);
        Assert.True(gate._entered.Wait(TimeSpan.FromSeconds(30)), "The writer thread never started the gate write.");
        return gate;
    }

    public void Open() => _release.Set();

    public void Dispose()
    {
        _release.Set();
        _entered.Dispose();
        _release.Dispose();
    }
}

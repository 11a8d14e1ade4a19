using Filix.Concurrency.Worker;
using Filix.Runtime;

namespace Filix.Concurrency.Tests;

/// <summary>FilixShutdown in-process: what it drains and what it forgets (signals: ProcessTests).</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Drain_closes_the_registered_databases_and_leaves_an_unregistered_one_alone()
    {
        using var shutdown = FilixShutdown.Install();
        using var first = new TempDatabase();
        using var second = new TempDatabase();
        var registered = shutdown.Register(await first.OpenAsync());
        await using var unregistered = shutdown.Register(await second.OpenAsync());
        await TestSchema.WriteSharedAsync(registered, new TestSchema.Row("queued", "p", 0, 0));

        Assert.True(shutdown.Unregister(unregistered));
        Assert.False(shutdown.Unregister(unregistered));
        await shutdown.DrainAsync();

        var closed = await Assert.ThrowsAsync<FilixException>(() => TestSchema.WriteSharedAsync(registered, new TestSchema.Row("late", "p", 0, 0)));
        Assert.Contains("closing or closed", closed.Message, StringComparison.Ordinal);
        Assert.Equal(["queued"], first.LogCounts("shared_log").Keys);
        Assert.Equal(1, await TestSchema.WriteSharedAsync(unregistered, new TestSchema.Row("still open", "p", 0, 0)));
    }
}

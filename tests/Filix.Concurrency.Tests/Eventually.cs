namespace Filix.Concurrency.Tests;

/// <summary>Waits for something another thread or process makes true, failing the test after a generous limit.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what = "a condition")
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(10);
        }
    }
}

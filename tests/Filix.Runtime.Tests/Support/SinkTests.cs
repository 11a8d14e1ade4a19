namespace Filix.Runtime.Tests.Support;

/// <summary>Base of test classes that each run on a fresh kitchen_sink database file (xunit makes one instance per test).</summary>
public abstract class SinkTests : IAsyncLifetime
{
    private SinkFile? _file;

    internal SinkFile Sink => _file ?? throw new InvalidOperationException("The database is opened in InitializeAsync.");

    internal KitchenSinkDatabase Db => Sink.Db;

    public async Task InitializeAsync() => _file = await SinkFile.OpenAsync();

    public async Task DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync();
        }
    }
}

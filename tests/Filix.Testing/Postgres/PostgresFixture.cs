using Xunit;

namespace Filix.Testing.Postgres;

/// <summary>
/// One cluster for a whole test collection. A test assembly declares the collection once:
/// <code>[CollectionDefinition(PostgresFixture.Collection)] public sealed class PostgresCollection : ICollectionFixture&lt;PostgresFixture&gt;;</code>
/// and tests join it with <c>[Collection(PostgresFixture.Collection)]</c>, taking the fixture in their constructor.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string Collection = "postgres";

    private PostgresCluster? _cluster;
    private int _databases;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The Postgres fixture has not been started.");

    /// <summary>A new empty database named after <paramref name="stem"/> (made unique), as a connection string.</summary>
    public Task<string> CreateDatabaseAsync(string stem) =>
        Cluster.CreateDatabaseAsync($"{stem}_{Interlocked.Increment(ref _databases)}");

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync().ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }
}

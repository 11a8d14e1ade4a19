using Filix.Testing.Postgres;
using Npgsql;

namespace Filix.Sync.Tests.Machines;

/// <summary>
/// The convergence tests' own throwaway cluster: they stop and restart it, which must not pull the server from under
/// the other sync tests (collections run in parallel). Tests of the collection run one at a time.
/// </summary>
public sealed class ConvergenceFixture : IAsyncLifetime
{
    /// <summary>A password the trust-authenticated cluster ignores, in every upstream connection string, so a test can
    /// check that no message or report ever prints it.</summary>
    public const string Password = "not-a-real-password-7f3a9c";

    private PostgresCluster? _cluster;
    private int _databases;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The convergence cluster has not been started.");

    /// <summary>A new empty upstream database, as the connection string machines sync with.</summary>
    public async Task<string> CreateUpstreamAsync(string stem)
    {
        // The admin pool's connections die with a restart the previous test made: start afresh (the harness's own
        // connection; the machines' pools are left as the restart left them, as a daemon's would be).
        NpgsqlConnection.ClearPool(new NpgsqlConnection(Cluster.ConnectionString()));
        var plain = await Cluster.CreateDatabaseAsync($"{stem}_{Interlocked.Increment(ref _databases)}");
        return new NpgsqlConnectionStringBuilder(plain) { Password = Password }.ToString();
    }

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConvergenceCollection : ICollectionFixture<ConvergenceFixture>
{
    public const string Name = "convergence";
}

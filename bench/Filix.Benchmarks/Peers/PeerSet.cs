using Filix.Benchmarks.Data;
using Filix.Domains.Entities;
using Microsoft.Data.Sqlite;

namespace Filix.Benchmarks.Peers;

/// <summary>Filix and its three peers open on one benchmark file, each on its own connection, and the file
/// deleted when they are done.</summary>
internal sealed class PeerSet : IDisposable
{
    private readonly SqliteConnection[] _connections;

    private PeerSet(BenchmarkFile file, EntitiesDatabase filix, SqliteConnection[] connections)
    {
        File = file;
        Filix = filix;
        _connections = connections;
        Ado = new AdoNetStore(connections[0]);
        Dapper = new DapperStore(connections[1]);
        Ef = new EfCoreStore(connections[2]);
    }

    public BenchmarkFile File { get; }

    public EntitiesDatabase Filix { get; }

    public AdoNetStore Ado { get; }

    public DapperStore Dapper { get; }

    public EfCoreStore Ef { get; }

    /// <summary>Creates the file with <paramref name="entities"/> entities (and their events) and opens every peer on it.</summary>
    public static async Task<PeerSet> OpenAsync(int entities)
    {
        var file = await BenchmarkFile.CreateAsync(entities);
        var filix = await EntitiesDatabase.OpenAsync(file.Path);
        return new PeerSet(file, filix, [file.OpenConnection(), file.OpenConnection(), file.OpenConnection()]);
    }

    public void Dispose()
    {
        Ado.Dispose();
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        Filix.Dispose();
        File.Dispose();
    }
}

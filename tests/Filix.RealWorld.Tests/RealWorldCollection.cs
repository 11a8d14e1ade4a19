using Filix.Testing.Postgres;

namespace Filix.RealWorld.Tests;

/// <summary>The app built once per run and one throwaway Postgres cluster, for every test of the real-world schemas.</summary>
[CollectionDefinition(Name)]
public sealed class RealWorldCollection : ICollectionFixture<RealWorldApp>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "realworld";
}

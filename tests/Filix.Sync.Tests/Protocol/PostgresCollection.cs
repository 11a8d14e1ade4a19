using Filix.Testing.Postgres;

namespace Filix.Sync.Tests.Protocol;

/// <summary>One throwaway cluster for every Postgres test in this assembly.</summary>
[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

using Filix.Testing.Postgres;

namespace Filix.Runtime.Tests.Postgres;

/// <summary>One throwaway cluster for every Postgres test in this assembly.</summary>
[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

using Filix.Testing.Postgres;

namespace Filix.Migrations.Tests;

/// <summary>One throwaway cluster (the shared tests/Filix.Testing fixture) for every Postgres test in this assembly.</summary>
[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

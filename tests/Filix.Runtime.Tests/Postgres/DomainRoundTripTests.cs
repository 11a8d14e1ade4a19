using Filix.Testing.Postgres;

namespace Filix.Runtime.Tests.Postgres;

/// <summary>
/// Every domain's generated Postgres DDL applied to a real server, each into its own database, and typed rows
/// round-tripped through the generated upstream adapters. New domains are discovered (<see cref="DomainSchemas"/>).
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class DomainRoundTripTests(PostgresFixture postgres)
{
    private const int RowsPerTable = 6;

    [Fact]
    public void Discovery_finds_the_shipped_domains_and_the_test_schema()
    {
        var names = DomainSchemas.All.Select(d => d.Definition.Domain).ToList();

        Assert.Contains("entities", names);
        Assert.Contains("kitchen_sink", names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(DomainSchemas.Names), MemberType = typeof(DomainSchemas))]
    public async Task Generated_ddl_applies_and_every_shared_table_round_trips_typed_rows(string domainName)
    {
        var domain = DomainSchemas.Get(domainName);
        await using var connection = await UpstreamDatabase.CreateAsync(postgres, domain.Definition);
        var catalog = await PostgresCatalog.ReadAsync(connection, domain.Definition.PostgresSchema);
        var samples = new SampleRows(catalog);
        var tables = domain.Tables();

        // Exactly the shared tables exist upstream, and each has an adapter; local tables have neither.
        Assert.Equal(
            tables.Where(t => t.Upstream is not null).Select(t => t.Name).Order(StringComparer.Ordinal),
            catalog.Tables.Keys.Order(StringComparer.Ordinal));
        var shared = tables.Where(t => t.Upstream is not null).ToList();

        // One transaction: foreign keys are deferred, so tables may be written in any order.
        var written = new Dictionary<string, List<object>>();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var table in shared)
            {
                var rows = Enumerable.Range(0, RowsPerTable).Select(i => samples.Row(table.Name, table.Record, i)).ToList();
                Assert.Equal(RowsPerTable, await Adapter(table).UpsertAsync(connection, rows));
                written[table.Name] = rows;
            }

            await transaction.CommitAsync();
        }

        foreach (var table in shared)
        {
            var adapter = Adapter(table);
            Assert.Equal(RowsPerTable, await adapter.CountAsync(connection));
            var read = (await adapter.ScanAsync(connection)).ToDictionary(r => samples.Key(table.Name, r));
            Assert.Equal(RowsPerTable, read.Count);
            foreach (var row in written[table.Name])
            {
                samples.AssertSame(table.Name, row, read[samples.Key(table.Name, row)]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(DomainSchemas.Names), MemberType = typeof(DomainSchemas))]
    public async Task Upsert_of_an_existing_key_updates_the_row_upstream(string domainName)
    {
        var domain = DomainSchemas.Get(domainName);
        await using var connection = await UpstreamDatabase.CreateAsync(postgres, domain.Definition);
        var catalog = await PostgresCatalog.ReadAsync(connection, domain.Definition.PostgresSchema);
        var samples = new SampleRows(catalog);

        var shared = domain.Tables().Where(t => t.Upstream is not null).ToList();

        // Row 0 of every table first (in one transaction, as foreign keys are deferred), so references resolve.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var table in shared)
            {
                await Adapter(table).UpsertAsync(connection, [samples.Row(table.Name, table.Record, 0)]);
            }

            await transaction.CommitAsync();
        }

        foreach (var table in shared)
        {
            // Change every column that is free to change: not a key, not unique, not a reference.
            var changed = samples.Row(table.Name, table.Record, 0);
            foreach (var column in catalog.Tables[table.Name].Where(c => !c.Key && !c.Unique && c.References is null))
            {
                SampleRows.Property(table.Record, column).SetValue(changed, samples.Value(column, 0, variant: 1));
            }

            var adapter = Adapter(table);
            Assert.Equal(1, await adapter.UpsertAsync(connection, [changed]));

            Assert.Equal(1, await adapter.CountAsync(connection));
            samples.AssertSame(table.Name, changed, Assert.Single(await adapter.ScanAsync(connection)));
        }
    }

    private static UpstreamAdapter Adapter(DomainSchemas.TableTypes table) => new(table.Upstream!, table.Record);
}

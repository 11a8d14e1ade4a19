using Filix.Migrations.Tool;
using Filix.Runtime.Migrations;
using Filix.Testing.Postgres;
using Npgsql;

namespace Filix.Runtime.Tests.Postgres;

/// <summary>
/// Several domains in ONE upstream database, as a deployment shares it: every shipped domain with shared tables and
/// the test domains shop and blog, which both have tables named <c>items</c> and <c>owners</c> (and indexes of the
/// same names). Each is migrated into its own schema; rows written and read through each domain's generated adapters
/// land in that schema, whatever the connection's search_path.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class SharedUpstreamTests(PostgresFixture postgres)
{
    private const int RowsPerTable = 4;

    [Fact]
    public async Task Domains_with_tables_of_the_same_name_migrate_into_one_upstream_and_their_adapters_use_their_own_schema()
    {
        using var project = TempDirectory.Create("shared-upstream");
        var historyRoot = project.File("migrations"); // the folder name a history has (MigrationFile reads it from the path)
        var domains = DomainSchemas.All
            .Where(d => d.Definition.Migrations.Count > 0 && d.Definition.PostgresDdl.Count > 0)
            .Select(d => (Domain: d, Schema: d.Definition))
            .Concat([Recorded("shop", historyRoot), Recorded("blog", historyRoot)])
            .ToList();
        Assert.True(domains.Count >= 5, string.Join(", ", domains.Select(d => d.Schema.Domain)));
        await using var connection = new NpgsqlConnection(await postgres.CreateDatabaseAsync("shared"));
        await connection.OpenAsync();
        var searchPath = await ScalarAsync(connection, "SHOW search_path");

        foreach (var (_, schema) in domains)
        {
            Assert.NotEmpty((await PostgresMigrations.MigrateAsync(connection, schema)).Pending);
        }

        // Each domain's tables in its schema and nowhere else; the connection's search_path as it was (SET LOCAL).
        Assert.Equal(searchPath, await ScalarAsync(connection, "SHOW search_path"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        Assert.Equal("blog,shop", await ScalarAsync(connection, "SELECT string_agg(schemaname, ',' ORDER BY schemaname) FROM pg_tables WHERE tablename = 'items'"));
        Assert.Equal("blog,shop", await ScalarAsync(connection, "SELECT string_agg(schemaname, ',' ORDER BY schemaname) FROM pg_indexes WHERE indexname = 'ix_items_name'"));

        // Every domain written before any is read back, so a table addressed in the wrong schema shows in the counts.
        var written = new Dictionary<(string Domain, string Table), List<object>>();
        var samples = new Dictionary<string, SampleRows>();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var (domain, schema) in domains)
            {
                samples[schema.Domain] = new SampleRows(await PostgresCatalog.ReadAsync(connection, schema.PostgresSchema));
                foreach (var table in domain.Tables().Where(t => t.Upstream is not null))
                {
                    var rows = Enumerable.Range(0, RowsPerTable).Select(i => samples[schema.Domain].Row(table.Name, table.Record, i)).ToList();
                    Assert.Equal(RowsPerTable, await Adapter(table).UpsertAsync(connection, rows));
                    written[(schema.Domain, table.Name)] = rows;
                }
            }

            await transaction.CommitAsync();
        }

        foreach (var (domain, schema) in domains)
        {
            foreach (var table in domain.Tables().Where(t => t.Upstream is not null))
            {
                var where = $"\"{schema.PostgresSchema}\".\"{table.Name}\"";
                Assert.True(RowsPerTable == (long)(await ScalarAsync(connection, $"SELECT count(*) FROM {where}"))!, where);
                var adapter = Adapter(table);
                Assert.Equal(RowsPerTable, await adapter.CountAsync(connection));
                var read = (await adapter.ScanAsync(connection)).ToDictionary(r => samples[schema.Domain].Key(table.Name, r));
                foreach (var row in written[(schema.Domain, table.Name)])
                {
                    samples[schema.Domain].AssertSame(table.Name, row, read[samples[schema.Domain].Key(table.Name, row)]);
                }
            }
        }

        // The same-named tables hold different rows: shop's items have a price, blog's a posting date.
        Assert.Equal(RowsPerTable, (long)(await ScalarAsync(connection, "SELECT count(*) FROM shop.items WHERE price IS NOT NULL"))!);
        Assert.Equal(RowsPerTable, (long)(await ScalarAsync(connection, "SELECT count(*) FROM blog.items WHERE posted_on IS NOT NULL"))!);

        // Migrating again changes nothing.
        var historyRows = await ScalarAsync(connection, HistoryCountSql(domains.Select(d => d.Schema)));
        foreach (var (_, schema) in domains)
        {
            var report = await PostgresMigrations.MigrateAsync(connection, schema);
            Assert.Empty(report.Pending);
            Assert.Equal(schema.Migrations.Select(m => m.Id), report.Applied.Select(a => a.Id));
        }

        Assert.Equal(historyRows, await ScalarAsync(connection, HistoryCountSql(domains.Select(d => d.Schema))));
        Assert.Equal((long)domains.Sum(d => d.Schema.Migrations.Count), historyRows);
    }

    /// <summary>A test domain's schema with its migrations recorded as the build would, from the YAML its generated
    /// code came from (the hash proves it).</summary>
    private static (DomainSchemas.Domain Domain, DatabaseSchema Schema) Recorded(string name, string historyRoot)
    {
        var domain = DomainSchemas.Get(name);
        var file = Path.Combine(AppContext.BaseDirectory, "Schemas", $"{name}.filix.yaml");
        // Files written is all this project can see of the result (its diagnostics are the generator's types).
        Assert.NotEmpty(MigrationRecorder.Record(file, historyRoot).Files);
        var schema = RuntimeSchema.Load(file, historyRoot);
        Assert.Single(schema.Migrations);
        Assert.Equal(domain.Definition.SchemaHash, schema.SchemaHash);
        return (domain, schema);
    }

    private static string HistoryCountSql(IEnumerable<DatabaseSchema> schemas) =>
        string.Join(" + ", schemas.Select(s => $"(SELECT count(*) FROM \"{s.PostgresSchema}\".\"_filix_migrations\")")).Insert(0, "SELECT ");

    private static UpstreamAdapter Adapter(DomainSchemas.TableTypes table) => new(table.Upstream!, table.Record);

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

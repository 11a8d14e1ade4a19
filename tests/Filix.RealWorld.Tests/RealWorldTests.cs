using Filix.Testing.Postgres;

namespace Filix.RealWorld.Tests;

/// <summary>
/// Chinook, Northwind and Sakila (Schemas/v1, translated from their published DDL) as a new user meets them: built
/// in a project outside this solution (<see cref="RealWorldApp"/>), applied to SQLite and to one shared Postgres,
/// round-tripped through the generated repositories and upstream adapters, then edited (Schemas/v2), rebuilt and
/// reopened with their rows. The checks of each scenario are in the app (App/*.cs, typed code written by hand per
/// schema); a failing scenario fails its test with everything the app printed.
/// </summary>
[Collection(RealWorldCollection.Name)]
public sealed class RealWorldTests(RealWorldApp app, PostgresFixture postgres)
{
    public static TheoryData<string> Domains() => new(RealWorldApp.Domains);

    /// <summary>A fresh SQLite file: every table written through its repository (parents first; Sakila's cycle by
    /// a null manager then an update), scanned back equal, then get, unique and index lookups, key-prefix lookups,
    /// update, upsert, delete, and the refusals of keys (a referenced row, a duplicate unique key).</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Sqlite_round_trip_through_the_typed_repositories(string domain)
    {
        await RunAsync(app.Initial, "roundtrip-sqlite", domain, app.NewDataFolder(domain));
    }

    /// <summary>The three domains migrated into ONE Postgres database (chinook and sakila both have a table
    /// "customer"); each domain's rows upserted in declaration order in one transaction (forward references and
    /// Sakila's cycle resolved at COMMIT), scanned back equal, counted, and an upsert of an existing key updates.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Upstream_round_trip_in_one_shared_postgres(string domain)
    {
        await RunAsync(app.Initial, "roundtrip-upstream", domain, await app.UpstreamAsync(postgres, "realworld"));
    }

    /// <summary>The same, each domain alone in a database of its own: a failure here is the domain's own DDL, not a
    /// collision with another domain.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Upstream_round_trip_in_a_database_of_its_own(string domain)
    {
        await RunAsync(app.Initial, "roundtrip-upstream", domain, await postgres.CreateDatabaseAsync($"alone_{domain}"));
    }

    /// <summary>The generated <c>&lt;Domain&gt;Schema.PostgresDdl</c> applies as it is to an empty database, whatever
    /// the declaration order and with Sakila's cycle.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Generated_postgres_ddl_applies_to_an_empty_database(string domain)
    {
        await RunAsync(app.Initial, "ddl-upstream", domain, await postgres.CreateDatabaseAsync($"ddl_{domain}"));
    }

    /// <summary>A populated SQLite file written by the first build is migrated in place by the program built after
    /// the edit: every row kept, renamed columns holding the old values, added ones their defaults (a unique uuid
    /// column NULL in every row); then the new columns, table and indexes work on it, and on a fresh file of the
    /// edited schema.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Sqlite_file_evolves_in_place_with_rows_kept(string domain)
    {
        var folder = app.NewDataFolder(domain);
        await RunAsync(app.Initial, "seed-sqlite", domain, folder);
        await RunAsync(app.Evolved, "check-evolved-sqlite", domain, folder);
    }

    /// <summary>The same upstream: all three domains seeded into one Postgres database by the first build, each
    /// migrated by the second with its rows kept, and the new parts written and read back.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Shared_upstream_evolves_in_place_with_rows_kept(string domain)
    {
        var upstream = await app.UpstreamAsync(postgres, "realworld_evolved");
        await RunAsync(app.Initial, "seed-upstream", domain, upstream);
        await RunAsync(app.Evolved, "check-evolved-upstream", domain, upstream);
    }

    /// <summary>The same, each domain alone in a database of its own.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Upstream_of_its_own_evolves_in_place_with_rows_kept(string domain)
    {
        var upstream = await postgres.CreateDatabaseAsync($"evolved_{domain}");
        await RunAsync(app.Initial, "seed-upstream", domain, upstream);
        await RunAsync(app.Evolved, "check-evolved-upstream", domain, upstream);
    }

    /// <summary>Each build recorded its migration beside the sources (one history folder per domain, outside bin/ and
    /// obj/; docs/migrations.md puts it in a migrations folder beside the schemas), the program embeds them, and the
    /// build output carries the .sql files.</summary>
    [Fact]
    public async Task Each_build_records_the_migrations_of_every_schema_in_the_project()
    {
        var initial = await RunAsync(app.Initial, "migrations");
        var evolved = await RunAsync(app.Evolved, "migrations");
        foreach (var domain in RealWorldApp.Domains)
        {
            Assert.Contains($"{domain}: 0001_initial{Environment.NewLine}", initial.Output, StringComparison.Ordinal);
            Assert.Matches($"(?m)^{domain}: 0001_initial 0002_\\w+$", evolved.Output);
            var histories = app.SourceFiles("0001_initial.sqlite.sql").Select(Path.GetDirectoryName).Where(d => Path.GetFileName(d) == domain).ToList();
            var history = Assert.Single(histories);
            var files = Directory.GetFiles(history!).Select(Path.GetFileName).ToList();
            Assert.Equal(2, files.Count(f => f!.EndsWith(".sqlite.sql", StringComparison.Ordinal)));
            Assert.Equal(2, files.Count(f => f!.EndsWith(".postgres.sql", StringComparison.Ordinal)));
            Assert.Contains("migrations.sum", files);
            Assert.True(File.Exists(Path.Combine(app.Evolved.Directory!, "migrations", domain, "0001_initial.sqlite.sql")), $"the build output lacks migrations/{domain}/");
        }
    }

    private async Task<ChildProcess.Result> RunAsync(RealWorldApp.Build build, params string[] args)
    {
        var result = await app.RunAsync(build, args);
        Assert.True(result.Succeeded, $"realworld {string.Join(' ', args)} exited with {result.ExitCode}:\n{result.Output}");
        return result;
    }
}

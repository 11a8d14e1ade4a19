using System.Text.RegularExpressions;
using Filix.Testing;
using Filix.Testing.Postgres;
using Xunit.Abstractions;

namespace Filix.RealWorld.Tests;

/// <summary>
/// Chinook, Northwind and Sakila (Schemas/v1, translated from their published DDL) as a new user meets them: built
/// in a project outside this solution (<see cref="RealWorldApp"/>), applied to SQLite and to one shared Postgres,
/// round-tripped through the generated repositories and upstream adapters, then edited (Schemas/v2), rebuilt and
/// reopened with their rows. The checks of each scenario are in the app (App/*.cs, typed code written by hand per
/// schema); a failing scenario fails its test with everything the app printed.
/// </summary>
[Collection(RealWorldCollection.Name)]
[TestCaseOrderer(InitialBuildFirst.TypeName, InitialBuildFirst.AssemblyName)]
public sealed class RealWorldTests(RealWorldApp app, PostgresFixture postgres, ITestOutputHelper output)
{
    public static TheoryData<string> Domains() => new(RealWorldApp.Domains);

    /// <summary>A fresh SQLite file: every table written through its repository (parents first; Sakila's cycle as
    /// one unit), scanned back equal, then get, unique and index lookups, key-prefix lookups,
    /// update, upsert, delete, and the refusals of keys (a referenced row, a duplicate unique key).</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Sqlite_round_trip_through_the_typed_repositories(string domain)
    {
        await RunAsync(await app.Initial, "roundtrip-sqlite", domain, app.NewDataFolder(domain));
    }

    /// <summary>The three domains migrated into ONE Postgres database (chinook and sakila both have a table
    /// "customer"); each domain's rows upserted in declaration order in one transaction (forward references and
    /// Sakila's cycle resolved at COMMIT), scanned back equal, counted, and an upsert of an existing key updates.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Upstream_round_trip_in_one_shared_postgres(string domain)
    {
        await RunAsync(await app.Initial, "roundtrip-upstream", domain, await app.UpstreamAsync(postgres, "realworld"));
    }

    /// <summary>The same, each domain alone in a database of its own: a failure here is the domain's own DDL, not a
    /// collision with another domain.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Upstream_round_trip_in_a_database_of_its_own(string domain)
    {
        await RunAsync(await app.Initial, "roundtrip-upstream", domain, await postgres.CreateDatabaseAsync($"alone_{domain}"));
    }

    /// <summary>The generated <c>&lt;Domain&gt;Schema.PostgresDdl</c> applies as it is to an empty database, whatever
    /// the declaration order and with Sakila's cycle.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    public async Task Generated_postgres_ddl_applies_to_an_empty_database(string domain)
    {
        await RunAsync(await app.Initial, "ddl-upstream", domain, await postgres.CreateDatabaseAsync($"ddl_{domain}"));
    }

    /// <summary>A populated SQLite file written by the first build is migrated in place by the program built after
    /// the edit: every row kept, renamed columns holding the old values, added ones their defaults (a unique uuid
    /// column NULL in every row); then the new columns, table and indexes work on it, and on a fresh file of the
    /// edited schema.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    [AfterTheEdit]
    public async Task Sqlite_file_evolves_in_place_with_rows_kept(string domain)
    {
        var folder = app.NewDataFolder(domain);
        await RunAsync(await app.Initial, "seed-sqlite", domain, folder);
        await RunAsync(await app.Evolved, "check-evolved-sqlite", domain, folder);
    }

    /// <summary>The same upstream: all three domains seeded into one Postgres database by the first build, each
    /// migrated by the second with its rows kept, and the new parts written and read back.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    [AfterTheEdit]
    public async Task Shared_upstream_evolves_in_place_with_rows_kept(string domain)
    {
        var upstream = await app.UpstreamAsync(postgres, "realworld_evolved");
        await RunAsync(await app.Initial, "seed-upstream", domain, upstream);
        await RunAsync(await app.Evolved, "check-evolved-upstream", domain, upstream);
    }

    /// <summary>The same, each domain alone in a database of its own.</summary>
    [Theory]
    [MemberData(nameof(Domains))]
    [AfterTheEdit]
    public async Task Upstream_of_its_own_evolves_in_place_with_rows_kept(string domain)
    {
        var upstream = await postgres.CreateDatabaseAsync($"evolved_{domain}");
        await RunAsync(await app.Initial, "seed-upstream", domain, upstream);
        await RunAsync(await app.Evolved, "check-evolved-upstream", domain, upstream);
    }

    /// <summary>The project's schemas are the ones it lists (schema/*.filix.yaml beside it, docs/schema.md): each build
    /// recorded its migration in migrations/&lt;domain&gt; beside them and nowhere else; the schema of another project
    /// at ../../schema (where the targets once looked by default) was neither read nor written; the program embeds the
    /// histories and the build output carries their .sql files.</summary>
    [AfterTheEdit]
    [Fact]
    public async Task Each_build_records_the_migrations_of_the_schemas_it_lists_and_of_no_other()
    {
        var initial = await RunAsync(await app.Initial, "migrations");
        var evolved = await RunAsync(await app.Evolved, "migrations");
        output.WriteLine((await app.Initial).Output);
        output.WriteLine((await app.Evolved).Output);
        Assert.Equal(RealWorldApp.Domains.Select(d => $"{d}: 0001_initial"), initial.Output.Trim().Split(Environment.NewLine));
        Assert.Matches("(?m)" + string.Join(@"\r?\n", RealWorldApp.Domains.Select(d => $"^{d}: 0001_initial 0002_\\w+")) + @"\s*$", evolved.Output);

        var histories = app.SourceFiles("migrations.sum").Select(f => Path.GetRelativePath(app.Root, Path.GetDirectoryName(f)!)).Order(StringComparer.Ordinal);
        Assert.Equal(RealWorldApp.Domains.Select(d => Path.Combine("src", "RealWorldApp", "schema", "migrations", d)), histories);
        foreach (var domain in RealWorldApp.Domains)
        {
            var files = Directory.GetFiles(Path.Combine(app.SchemaDirectory, "migrations", domain)).Select(Path.GetFileName).ToList();
            Assert.Equal(2, files.Count(f => f!.EndsWith(".sqlite.sql", StringComparison.Ordinal)));
            Assert.Equal(2, files.Count(f => f!.EndsWith(".postgres.sql", StringComparison.Ordinal)));
            Assert.Equal(2, Directory.GetFiles(Path.Combine((await app.Evolved).Directory!, "migrations", domain), "*.sqlite.sql").Length);
        }

        Assert.Equal(["other.filix.yaml"], Directory.EnumerateFileSystemEntries(app.OtherSchemaDirectory, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    /// <summary>The app's project file is the one docs/schema.md gives, but for its root namespace and where Filix is:
    /// if the documented setup changes, this project follows.</summary>
    [Fact]
    public void The_app_is_set_up_with_the_project_file_docs_schema_md_gives()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "schema.md"));
        var section = doc[doc.IndexOf("## Using it in a project", StringComparison.Ordinal)..];
        var documented = Regex.Match(section, "```xml\n(.*?)```", RegexOptions.Singleline);
        Assert.True(documented.Success, "docs/schema.md has no ```xml project file under 'Using it in a project'.");

        var template = OutsideProject.ProjectFile();
        var project = template[template.IndexOf("<Project", StringComparison.Ordinal)..]
            .Replace("<RootNamespace>RealWorld</RootNamespace>", "<RootNamespace>MyApp</RootNamespace>", StringComparison.Ordinal)
            .Replace($"<FilixSource>{RepoPaths.Src}</FilixSource>", "<FilixSource>../filix/src</FilixSource>", StringComparison.Ordinal);
        Assert.Equal(documented.Groups[1].Value.ReplaceLineEndings("\n"), project.ReplaceLineEndings("\n"));
    }

    private async Task<DotnetCli.Result> RunAsync(RealWorldApp.Build build, params string[] args)
    {
        var result = await app.RunAsync(build, args);
        Assert.True(result.Succeeded, $"realworld {string.Join(' ', args)} exited with {result.ExitCode}:\n{result.Output}");
        return result;
    }
}

using Filix.Cli.Domains;

namespace Filix.Cli.Tests;

public sealed class SchemaCommandTests
{
    [Fact]
    public async Task Sqlite_ddl_holds_every_table_of_every_domain()
    {
        var result = await Cli.RunAsync("schema", "sql", "--dialect", "sqlite");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var domain in DomainRegistry.All)
        {
            Assert.Contains($"-- {domain.Name}: generated from {domain.Name}.filix.yaml", result.Output);
            foreach (var table in domain.Schema.Tables)
            {
                Assert.Contains($"CREATE TABLE \"{table}\" (", result.Output);
            }
        }

        Assert.Contains(") STRICT;", result.Output);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Postgres_ddl_holds_the_shared_tables_and_leaves_out_the_local_files_domain()
    {
        var result = await Cli.RunAsync("schema", "sql", "--dialect", "postgres");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("CREATE TABLE \"objects\" (", result.Output);
        Assert.Contains("CREATE TABLE \"playlist_tracks\" (", result.Output); // music is optional: shared when enabled
        Assert.Contains("jsonb", result.Output);
        Assert.Contains("timestamptz", result.Output);
        foreach (var local in new[] { "files", "roots", "changes" })
        {
            Assert.DoesNotContain($"CREATE TABLE \"{local}\"", result.Output);
        }

        Assert.Contains("-- every table of this domain is local", result.Output);
        Assert.DoesNotContain("STRICT", result.Output);
    }

    [Fact]
    public async Task One_domain_prints_only_its_tables()
    {
        var result = await Cli.RunAsync("schema", "sql", "--dialect", "postgres", "--domain", "transcripts");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("CREATE TABLE \"segments\" (", result.Output);
        Assert.DoesNotContain("CREATE TABLE \"entities\"", result.Output);
        Assert.Contains("PRIMARY KEY (\"transcript_id\", \"seq\")", result.Output);
    }

    [Fact]
    public async Task An_unknown_dialect_is_exit_code_2_and_lists_the_valid_ones()
    {
        var result = await Cli.RunAsync("schema", "sql", "--dialect", "mysql");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("filix: unknown dialect 'mysql'. Valid dialects: sqlite, postgres.", result.Error.Trim());
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task An_unknown_domain_is_exit_code_2_and_lists_the_valid_ones()
    {
        var result = await Cli.RunAsync("schema", "sql", "--dialect", "sqlite", "--domain", "paper");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("filix: unknown domain 'paper'. Valid domains: entities, papers, contacts, transcripts, music, storage, files.", result.Error.Trim());
    }

    [Fact]
    public async Task Every_command_is_listed_in_help()
    {
        var result = await Cli.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "run", "report", "status", "schema", "--data", "--json" })
        {
            Assert.Contains(command, result.Output);
        }

        Assert.DoesNotContain("--scale", result.Output); // a test knob, hidden from users
    }
}

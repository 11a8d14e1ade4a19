using Filix.Testing.Postgres;
using Npgsql;

namespace Filix.Runtime.Tests.Postgres;

/// <summary>The test cluster itself: what every other Postgres test stands on.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresClusterTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_cluster_is_postgres_15_or_later_on_loopback_with_fsync_off_and_utf8()
    {
        var connectionString = await postgres.CreateDatabaseAsync("cluster");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        Assert.True(connection.PostgreSqlVersion.Major >= 15, $"server is {connection.PostgreSqlVersion}");
        Assert.Equal("off", await ShowAsync(connection, "fsync"));
        Assert.Equal("off", await ShowAsync(connection, "synchronous_commit"));
        Assert.Equal("127.0.0.1", await ShowAsync(connection, "listen_addresses"));
        Assert.Equal("UTF8", await ShowAsync(connection, "server_encoding"));
    }

    [Fact]
    public async Task Databases_created_by_the_fixture_are_separate()
    {
        var first = await postgres.CreateDatabaseAsync("separate");
        var second = await postgres.CreateDatabaseAsync("separate");

        Assert.NotEqual(first, second);
        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE only_here (id int)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using var other = new NpgsqlConnection(second);
        await other.OpenAsync();
        await using var probe = new NpgsqlCommand("SELECT to_regclass('only_here') IS NULL", other);
        Assert.True((bool)(await probe.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_durable_cluster_keeps_fsync_on_and_its_folder_is_removed_on_dispose()
    {
        string folder;
        await using (var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { Durable = true }))
        {
            folder = cluster.DataFolder;
            await using var connection = new NpgsqlConnection(cluster.ConnectionString());
            await connection.OpenAsync();
            Assert.Equal("on", await ShowAsync(connection, "fsync"));
            Assert.Equal("on", await ShowAsync(connection, "synchronous_commit"));
        }

        Assert.False(Directory.Exists(folder) && !TempDirectory.Keep, $"{folder} was left behind");
    }

    [Fact]
    public async Task A_folder_without_the_server_binaries_is_a_clear_error_not_a_skip()
    {
        using var empty = TempDirectory.Create("nopg");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresCluster.StartAsync(new PostgresClusterOptions { BinFolder = empty.Path }));

        Assert.Contains("apt-get install postgresql-15", error.Message, StringComparison.Ordinal);
        Assert.Contains(empty.Path, error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ShowAsync(NpgsqlConnection connection, string setting)
    {
        await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}

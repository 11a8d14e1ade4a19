using Filix.Domains.Entities;
using Filix.Runtime.Health;
using Microsoft.Data.Sqlite;

namespace Filix.Reliability.Tests.Health;

/// <summary><see cref="HealthCheck.Full"/> (what <c>filix check</c> runs): integrity_check and foreign_key_check,
/// naming what they find, and leaving the files as they were.</summary>
public sealed class FullCheckTests : IDisposable
{
    private readonly HealthFixture _files = new("full");

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_healthy_database_passes_and_the_check_leaves_no_wal_or_shm_behind()
    {
        await _files.CreateAsync(rows: 50);
        var before = _files.Snapshot();

        var health = HealthCheck.Full(_files.Database);

        Assert.True(health.IsHealthy, health.Describe());
        Assert.Equal("ok", health.IntegrityCheck);

        // A -wal left behind would make the next open take the database for one not closed cleanly.
        Assert.False(File.Exists(_files.Wal), "the check left a -wal");
        Assert.False(File.Exists(_files.Shm), "the check left a -shm");
        HealthFixture.AssertUnchanged(before, _files.Snapshot());
        await using var db = await EntitiesDatabase.OpenAsync(_files.Database);
        Assert.False(db.Database.Health.UncleanClose);
    }

    [Fact]
    public async Task A_damaged_page_is_found_by_integrity_check_and_named_with_the_fix()
    {
        await _files.CreateAsync(rows: 400);
        var pages = new FileInfo(_files.Database).Length / 4096;
        HealthFixture.Damage(_files.Database, ((pages / 2) * 4096) + 16, 64);
        var before = _files.Snapshot();

        var health = HealthCheck.Full(_files.Database);

        var problem = Assert.Single(health.Problems);
        Assert.Equal(HealthProblemKind.IntegrityCheck, problem.Kind);
        Assert.Contains(_files.Database, problem.Message, StringComparison.Ordinal);
        Assert.Contains("restore", problem.Fix, StringComparison.Ordinal);
        Assert.NotEqual("ok", health.IntegrityCheck);
        HealthFixture.AssertUnchanged(before, _files.Snapshot());
    }

    [Fact]
    public async Task Rows_that_refer_to_missing_rows_are_named_by_table()
    {
        await _files.CreateAsync(rows: 1);
        using (var connection = new SqliteConnection($"Data Source={_files.Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA foreign_keys = OFF; INSERT INTO events (entity_id, role, role_type, created_at, updated_at) VALUES ('nobody', 'r', 'tag', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z')";
            command.ExecuteNonQuery();
        }

        var health = HealthCheck.Full(_files.Database);

        var problem = Assert.Single(health.Problems);
        Assert.Equal(HealthProblemKind.ForeignKeys, problem.Kind);
        Assert.Contains("events row", problem.Message, StringComparison.Ordinal);
        Assert.Contains("-> entities", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_open_in_this_process_is_checked_through_sqlite_while_it_is_written()
    {
        await _files.CreateAsync(rows: 10);
        await using var db = await EntitiesDatabase.OpenAsync(_files.Database);
        await db.Entities.InsertAsync(HealthFixture.Row(10));

        var health = HealthCheck.Full(_files.Database);

        Assert.True(health.IsHealthy, health.Describe());
        Assert.Equal("ok", health.IntegrityCheck);
        await db.Entities.InsertAsync(HealthFixture.Row(11));
        Assert.Equal(12, await db.Entities.CountAsync());
    }

    [Fact]
    public void A_missing_database_is_not_a_problem_and_is_not_created()
    {
        var health = HealthCheck.Full(_files.Database);

        Assert.True(health.IsHealthy);
        Assert.Contains("does not exist", Assert.Single(health.Notes), StringComparison.Ordinal);
        Assert.False(File.Exists(_files.Database));
    }
}

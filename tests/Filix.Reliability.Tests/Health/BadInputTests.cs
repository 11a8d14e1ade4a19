using Filix.Domains.Entities;
using Filix.Runtime;
using Filix.Runtime.Health;
using Microsoft.Data.Sqlite;

namespace Filix.Reliability.Tests.Health;

/// <summary>
/// Each kind of bad input: a clear <see cref="FilixException"/> naming the file and the fix, and nothing damaged
/// (the files' bytes compared before and after). A file that is not SQLite and a database of another domain or
/// schema version are covered in Filix.Runtime.Tests (OpenErrorTests) and a database newer than the code in
/// Filix.Migrations.Tests (SqliteSafetyTests); the cases here add what those do not check.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly HealthFixture _files = new("input");

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_zero_length_file_without_backups_is_taken_as_a_new_database()
    {
        File.WriteAllBytes(_files.Database, []);

        await using var db = await EntitiesDatabase.OpenAsync(_files.Database);

        Assert.False(db.Database.IsReadOnly);
        Assert.Contains("empty (0 bytes)", Assert.Single(db.Database.Health.Notes), StringComparison.Ordinal);
        await db.Entities.InsertAsync(HealthFixture.Row(1));
        Assert.Equal(1, await db.Entities.CountAsync());
    }

    [Fact]
    public async Task A_zero_length_file_that_has_backups_lost_its_data_and_is_refused_untouched()
    {
        File.WriteAllBytes(_files.Database, []);
        _files.ListVerifiedBackup(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero));

        var error = await Assert.ThrowsAsync<FilixException>(() => EntitiesDatabase.OpenAsync(_files.Database));

        Assert.Equal(_files.Database, error.Path);
        Assert.Contains($"'{_files.Database}' is empty (0 bytes), but it had data", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-05-06 07:08:09 UTC", error.Message, StringComparison.Ordinal);
        Assert.Contains("filix restore --latest --domain entities", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(_files.Database).Length);
        Assert.False(File.Exists(_files.Wal));
    }

    [Fact]
    public async Task A_truncated_database_opens_read_only_and_reads_what_is_left()
    {
        await _files.CreateAsync(rows: 400);
        var length = new FileInfo(_files.Database).Length;
        using (var file = new FileStream(_files.Database, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(length / 2);
        }

        var before = _files.Snapshot();
        await using (var db = await EntitiesDatabase.OpenAsync(_files.Database))
        {
            Assert.True(db.Database.IsReadOnly);
            var problem = Assert.Single(db.Database.Health.Problems);
            Assert.Equal(HealthProblemKind.Truncated, problem.Kind);
            Assert.Contains($"'{_files.Database}' is truncated", problem.Message, StringComparison.Ordinal);
            Assert.Equal("entities", await db.Database.ReadAsync((s, _) => (string)s.Scalar("SELECT value FROM _filix_meta WHERE key = 'domain'")!, 0));
            var error = await Assert.ThrowsAsync<FilixException>(() => db.Entities.InsertAsync(HealthFixture.Row(1)));
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }

        HealthFixture.AssertUnchanged(before, _files.Snapshot());
    }

    [Fact]
    public async Task A_wal_without_its_database_is_refused_and_no_database_is_created_to_absorb_it()
    {
        await _files.CreateAsync(rows: 10);
        _files.WriteAndKill(rows: 20);
        File.Delete(_files.Database);
        var before = _files.Snapshot();

        var error = await Assert.ThrowsAsync<FilixException>(() => EntitiesDatabase.OpenAsync(_files.Database));

        Assert.Equal(_files.Database, error.Path);
        Assert.Contains($"The WAL '{_files.Wal}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not", error.Message, StringComparison.Ordinal);
        Assert.Contains("Put the database back", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_files.Database));
        HealthFixture.AssertUnchanged(before, _files.Snapshot());
    }

    [Fact]
    public async Task A_shm_without_its_database_is_refused_and_no_database_is_created()
    {
        File.WriteAllBytes(_files.Shm, new byte[32768]);

        var error = await Assert.ThrowsAsync<FilixException>(() => EntitiesDatabase.OpenAsync(_files.Database));

        Assert.Contains($"'{_files.Shm}' exists but its database", error.Message, StringComparison.Ordinal);
        Assert.Contains($"delete '{_files.Shm}'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_files.Database));
        Assert.Equal(32768, new FileInfo(_files.Shm).Length);
    }

    [Fact]
    public async Task A_database_from_a_newer_filix_history_is_refused_and_its_bytes_are_unchanged()
    {
        await _files.CreateAsync(rows: 5);
        using (var connection = new SqliteConnection($"Data Source={_files.Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO _filix_migrations (id, name, checksum, applied_at) VALUES ('9001', 'from_a_newer_build', 'x', '2026-01-01T00:00:00.0000000Z')";
            command.ExecuteNonQuery();
        }

        var before = _files.Snapshot();

        var error = await Assert.ThrowsAsync<FilixException>(() => EntitiesDatabase.OpenAsync(_files.Database));

        Assert.Contains("newer than this build", error.Message, StringComparison.Ordinal);
        Assert.Contains("9001_from_a_newer_build", error.Message, StringComparison.Ordinal);
        Assert.Equal(_files.Database, error.Path);
        HealthFixture.AssertUnchanged(before, _files.Snapshot());
        Assert.False(File.Exists(_files.Wal));
    }

    [Fact]
    public void Quick_on_a_file_that_is_not_sqlite_names_the_header_and_reads_nothing_else()
    {
        File.WriteAllText(_files.Database, "PK\u0003\u0004 a zip file, not a database");

        var health = HealthCheck.Quick(_files.Database);

        var problem = Assert.Single(health.Problems);
        Assert.Equal(HealthProblemKind.NotSqlite, problem.Kind);
        Assert.True(problem.Unreadable);
        Assert.Contains("SQLite format 3", problem.Message, StringComparison.Ordinal);
    }
}

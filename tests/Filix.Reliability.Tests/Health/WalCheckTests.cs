using System.Diagnostics;
using Filix.Domains.Entities;
using Filix.Runtime.Health;

namespace Filix.Reliability.Tests.Health;

/// <summary>The WAL left by a killed writer, damaged in each way SQLite's recovery would silently take as "nothing
/// more to replay": the open names the damage and stays read-only, and the files are not changed. The killed writer
/// commits each of its rows separately, so its WAL holds one commit frame per row.</summary>
public sealed class WalCheckTests : IDisposable
{
    private const int Frame = 24 + 4096;
    private const int Header = 32;

    private readonly HealthFixture _files = new("wal");

    public void Dispose() => _files.Dispose();

    private async Task CrashAsync()
    {
        await _files.CreateAsync(rows: 10);
        _files.WriteAndKill(rows: 40);
    }

    [Fact]
    public async Task The_intact_wal_of_a_killed_writer_is_replayed_and_every_row_is_there()
    {
        await CrashAsync();

        var health = HealthCheck.OnOpen(_files.Database);

        Assert.True(health.IsHealthy, health.Describe());
        Assert.Equal("ok", health.QuickCheck);
        await using var db = await EntitiesDatabase.OpenAsync(_files.Database);
        Assert.Equal(50, await db.Entities.CountAsync());
    }

    public static TheoryData<string, long, HealthProblemKind, string> Damages => new()
    {
        { "a salt of the header", 16, HealthProblemKind.WalHeader, "checksum does not match" },
        { "the magic number", 0, HealthProblemKind.WalHeader, "WAL magic number" },
        { "the page of frame 3", Header + (2 * Frame) + 24 + 100, HealthProblemKind.WalDamaged, "damaged at frame 3" },
        { "the salt of frame 5", Header + (4 * Frame) + 8, HealthProblemKind.WalDamaged, "damaged at frame 5" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_wal_is_named_and_the_database_opens_read_only_unchanged(string what, long offset, HealthProblemKind kind, string message)
    {
        await CrashAsync();
        HealthFixture.Damage(_files.Wal, offset, 4);
        var before = _files.Snapshot();

        await using (var db = await EntitiesDatabase.OpenAsync(_files.Database))
        {
            Assert.True(db.Database.IsReadOnly, what);
            var problem = Assert.Single(db.Database.Health.Problems);
            Assert.Equal(kind, problem.Kind);
            Assert.Equal(_files.Wal, problem.File);
            Assert.Contains(message, problem.Message, StringComparison.Ordinal);
            Assert.Contains("Keep a copy of the WAL", problem.Fix, StringComparison.Ordinal);
            await Assert.ThrowsAsync<Filix.Runtime.FilixException>(() => db.Entities.InsertAsync(HealthFixture.Row(1)));
        }

        HealthFixture.AssertUnchanged(before, _files.Snapshot(), _files.Shm);
    }

    [Fact]
    public async Task A_wal_cut_in_its_last_frame_drops_only_an_uncommitted_write_and_is_healthy()
    {
        await CrashAsync();
        using (var wal = new FileStream(_files.Wal, FileMode.Open, FileAccess.Write))
        {
            wal.SetLength(wal.Length - 1000);
        }

        var health = HealthCheck.OnOpen(_files.Database);

        Assert.True(health.IsHealthy, health.Describe());
        Assert.Contains(health.Notes, n => n.Contains("ends in a partial frame", StringComparison.Ordinal));
        Assert.Equal("ok", health.QuickCheck);
    }

    [Fact]
    public async Task A_wal_of_another_database_is_named_by_its_page_size()
    {
        await CrashAsync();
        var other = _files.Folder.File("other.db");
        Run($"import os, signal, sqlite3\nc = sqlite3.connect('{other}', isolation_level=None)\nc.execute('PRAGMA page_size=8192')\nc.execute('PRAGMA journal_mode=WAL')\nc.execute('CREATE TABLE t (x)')\nc.execute('INSERT INTO t VALUES (1)')\nos.kill(os.getpid(), signal.SIGKILL)");
        File.Copy(other + "-wal", _files.Wal, overwrite: true);
        File.Delete(_files.Shm);

        var health = HealthCheck.Quick(_files.Database);

        var problem = Assert.Single(health.Problems);
        Assert.Equal(HealthProblemKind.WalMismatch, problem.Kind);
        Assert.Contains("pages of 8192 bytes", problem.Message, StringComparison.Ordinal);
        Assert.Contains("belongs to another database", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shm_written_for_another_wal_is_only_a_note_since_sqlite_rebuilds_it()
    {
        await CrashAsync();
        HealthFixture.Damage(_files.Shm, 32, 8); // WalIndexHdr.aSalt

        var health = HealthCheck.OnOpen(_files.Database);

        Assert.True(health.IsHealthy, health.Describe());
        Assert.Contains(health.Notes, n => n.Contains("was written for another WAL", StringComparison.Ordinal));
        await using var db = await EntitiesDatabase.OpenAsync(_files.Database);
        Assert.Equal(50, await db.Entities.CountAsync());
    }

    public static TheoryData<string, int, byte[], string> Headers => new()
    {
        { "a page size that is not a power of two", 16, [0x03, 0xE8], "page size 1000" },
        { "a page size below 512", 16, [0x01, 0x00], "page size 256" },
        { "an unknown file format version", 18, [7, 7], "file format versions 7/7" },
        { "wrong payload fractions", 21, [65], "64/32/32" },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public async Task A_damaged_database_header_is_refused_as_unreadable(string what, int offset, byte[] bytes, string message)
    {
        await _files.CreateAsync(rows: 1);
        using (var file = new FileStream(_files.Database, FileMode.Open, FileAccess.Write))
        {
            file.Position = offset;
            file.Write(bytes);
        }

        var before = _files.Snapshot();

        var error = await Assert.ThrowsAsync<Filix.Runtime.FilixException>(() => EntitiesDatabase.OpenAsync(_files.Database));

        Assert.Contains("damaged header", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(_files.Database, error.Path);
        HealthFixture.AssertUnchanged(before, _files.Snapshot());
        Assert.True(HealthCheck.Quick(_files.Database).Problems.Single().Unreadable, what);
    }

    private static void Run(string script)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 137, $"python3 exited with {process.ExitCode}: {error}");
    }
}

using System.Diagnostics;
using Filix.Domains.Entities;
using Filix.Runtime.Health;

namespace Filix.Reliability.Tests.Health;

/// <summary>The clean-close marker of a database in rollback-journal mode (journal_mode=DELETE, what the unsafe
/// file system setting uses): a hot journal, one that starts with the journal magic, marks a write cut short; a
/// journal whose header is zeroed (what locking_mode=EXCLUSIVE leaves after each commit) does not.</summary>
public sealed class JournalCheckTests : IDisposable
{
    private readonly HealthFixture _files = new("journal");

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_hot_journal_left_by_a_killed_writer_marks_an_unclean_close_and_is_rolled_back()
    {
        await _files.CreateAsync(rows: 10);
        Python($$"""
            import os, signal, sqlite3
            c = sqlite3.connect('{{_files.Database}}', isolation_level=None)
            c.execute("PRAGMA journal_mode=DELETE")
            c.execute("PRAGMA cache_size=1")
            c.execute("BEGIN")
            for i in range(2000):
                c.execute("INSERT INTO entities (id, type, name, created_at, updated_at) VALUES (?, 'person', ?, '2026-01-02T03:04:05.0000000Z', '2026-01-02T03:04:05.0000000Z')", ("j%06d" % i, "x" * 300))
            os.kill(os.getpid(), signal.SIGKILL)
            """);
        Assert.True(new FileInfo(_files.Database + "-journal").Length > 0, "the killed writer left no journal");

        var quick = HealthCheck.Quick(_files.Database);
        Assert.True(quick.UncleanClose, quick.Describe());

        await using var db = await EntitiesDatabase.OpenAsync(_files.Database);
        Assert.True(db.Database.Health.IsHealthy, db.Database.Health.Describe());
        Assert.Equal("ok", db.Database.Health.QuickCheck);
        Assert.Equal(10, await db.Entities.CountAsync()); // the uncommitted transaction was rolled back
    }

    [Fact]
    public async Task A_journal_with_a_zeroed_header_is_not_an_unclean_close()
    {
        await _files.CreateAsync(rows: 10);
        File.WriteAllBytes(_files.Database + "-journal", new byte[4096]);

        var health = HealthCheck.Quick(_files.Database);

        Assert.True(health.IsHealthy, health.Describe());
        Assert.False(health.UncleanClose);
    }

    private static void Python(string script)
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

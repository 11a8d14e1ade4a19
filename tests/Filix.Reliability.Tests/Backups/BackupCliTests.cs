using System.Text.Json;
using Filix.Testing;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Backups;

/// <summary>The commands as a user runs them: the built filix in a child process.</summary>
public sealed class BackupCliTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Backup_list_and_restore_from_the_command_line()
    {
        using var folder = TempDirectory.Create("backup-cli");
        var path = BackupFixture.DatabaseIn(folder);
        await using (var database = await BackupFixture.OpenAsync(path))
        {
            await BackupFixture.WritePairsAsync(database, "a", 30);
        }

        var backup = await FilixProcess.RunAsync("backup", "--data", folder.Path, "--domain", "entities");
        log.WriteLine(backup.Output);
        Assert.True(backup.Succeeded, backup.Output);
        Assert.Contains("verified", backup.Output, StringComparison.Ordinal);

        var list = await FilixProcess.RunAsync("backups", "--data", folder.Path, "--json");
        Assert.True(list.Succeeded, list.Output);
        using (var json = JsonDocument.Parse(list.Output))
        {
            var entry = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal("entities", entry.GetProperty("domain").GetString());
            Assert.True(entry.GetProperty("verified").GetBoolean());
            Assert.Equal(30, entry.GetProperty("rowCounts").GetProperty("entities").GetInt64());
            Assert.True(entry.GetProperty("bytes").GetInt64() > 0);
            Assert.True(entry.GetProperty("ageSeconds").GetDouble() >= 0);
        }

        await using (var database = await BackupFixture.OpenAsync(path))
        {
            await BackupFixture.WritePairsAsync(database, "late", 4);

            // Open here (this test process): the child refuses and names this process.
            var refused = await FilixProcess.RunAsync("restore", "--latest", "--domain", "entities", "--data", folder.Path);
            log.WriteLine(refused.Output);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"process {Environment.ProcessId} (", refused.Output, StringComparison.Ordinal);
        }

        var restore = await FilixProcess.RunAsync("restore", "--latest", "--domain", "entities", "--data", folder.Path);
        log.WriteLine(restore.Output);
        Assert.True(restore.Succeeded, restore.Output);
        Assert.Contains("kept aside: " + path + ".damaged-", restore.Output, StringComparison.Ordinal);
        Assert.Matches(@"entities\s+4\s+0\s+0", restore.Output);
        Assert.Equal(30, BackupFixture.Count(path, "entities"));
    }

    [Fact]
    public async Task A_backup_that_hits_the_file_size_limit_fails_cleanly_in_a_child_process()
    {
        using var folder = TempDirectory.Create("backup-fsize");
        var path = BackupFixture.DatabaseIn(folder);
        await using (var database = await BackupFixture.OpenAsync(path))
        {
            await BackupFixture.WritePairsAsync(database, "a", 2000);
        }

        var first = await FilixProcess.RunAsync("backup", "--data", folder.Path, "--domain", "entities");
        Assert.True(first.Succeeded, first.Output);
        var manifest = File.ReadAllText(Path.Combine(folder.Path, "backups", "entities", "manifest.json"));
        var files = Directory.GetFiles(Path.Combine(folder.Path, "backups", "entities")).Order(StringComparer.Ordinal).ToList();

        // A file size limit far below the database's size: the uncompressed copy cannot be written.
        var limitKb = new FileInfo(path).Length / 1024 / 4;
        var failed = await FilixProcess.RunAsync(limitKb, "backup", "--data", folder.Path, "--domain", "entities");
        log.WriteLine(failed.Output);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("the disk is full or a file size limit (ulimit -f) was reached", failed.Output, StringComparison.Ordinal);
        Assert.Contains("Nothing was listed and the database is untouched", failed.Output, StringComparison.Ordinal);

        // The earlier backup and the manifest are as they were; nothing new in the folder.
        Assert.Equal(manifest, File.ReadAllText(Path.Combine(folder.Path, "backups", "entities", "manifest.json")));
        Assert.Equal(files, Directory.GetFiles(Path.Combine(folder.Path, "backups", "entities")).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(2000, BackupFixture.Count(path, "entities"));
    }
}

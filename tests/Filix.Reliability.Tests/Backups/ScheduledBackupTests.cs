using System.Diagnostics;
using Filix.Domains.Files;
using Filix.Runtime;
using Filix.Runtime.Backups;
using Filix.Testing;
using Filix.Testing.Postgres;
using Xunit.Abstractions;

namespace Filix.Reliability.Tests.Backups;

/// <summary>The sync daemon (<c>filix sync --watch</c>, the built filix in a child process) backs up every domain
/// database on its schedule and runs integrity_check on each, logging a damaged one with its restore command.</summary>
[Collection(BackupPostgresCollection.Name)]
public sealed class ScheduledBackupTests(PostgresFixture postgres, ITestOutputHelper log)
{
    [Fact]
    public async Task The_daemon_takes_scheduled_backups_and_logs_a_failed_integrity_check_with_the_restore_command()
    {
        var upstream = await postgres.CreateDatabaseAsync("scheduled_backups");
        using var folder = TempDirectory.Create("daemon");
        var entities = BackupFixture.DatabaseIn(folder);
        await using (var database = await BackupFixture.OpenAsync(entities))
        {
            await BackupFixture.WritePairsAsync(database, "a", 20);
        }

        // files.db is local only (the daemon does not open it to sync): damage one of its pages.
        var files = folder.File("files.db");
        await using (var database = await FilixDatabase.OpenAsync(files, FilesSchema.Definition, BackupFixture.Options))
        {
            await database.ExecuteAsync("INSERT INTO roots (path, label) VALUES ($p0, $p1)", 2,
                Enumerable.Range(0, 3000).SelectMany(i => new object?[] { $"/data/root-{i:D5}/" + new string('p', 60), "label" }).ToArray());
        }

        CorruptPage(files);

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { FilixProcess.Dll, "sync", "--watch", "--upstream", upstream, "--data", folder.Path },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["FILIX_BACKUP_INTERVAL"] = "00:00:02";
        start.Environment["FILIX_CHECK_INTERVAL"] = "00:00:02";
        var logged = new System.Text.StringBuilder();
        using var daemon = Process.Start(start)!;
        daemon.ErrorDataReceived += (_, e) => { lock (logged) { logged.AppendLine(e.Data); } };
        daemon.OutputDataReceived += (_, e) => { lock (logged) { logged.AppendLine(e.Data); } };
        daemon.BeginErrorReadLine();
        daemon.BeginOutputReadLine();
        string Log() { lock (logged) { return logged.ToString(); } }
        try
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(90) &&
                   !(Count(Log(), "Backed up entities: ") >= 2 && Log().Contains("Integrity check of " + files + " FAILED", StringComparison.Ordinal)))
            {
                Assert.False(daemon.HasExited, Log());
                await Task.Delay(200);
            }
        }
        finally
        {
            if (!daemon.HasExited)
            {
                Process.Start("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
                if (!daemon.WaitForExit(30_000))
                {
                    daemon.Kill();
                }
            }
        }

        var text = Log();
        log.WriteLine(text);
        // Two scheduled backups at least; retention keeps the newest of the hour.
        Assert.True(Count(text, "Backed up entities: ") >= 2, text);
        var kept = Assert.Single(BackupCatalog.List(entities));
        Assert.Equal("scheduled", kept.Reason);
        Assert.True(kept.Verified);
        Assert.Contains("Integrity check of entities: ok.", text, StringComparison.Ordinal);
        Assert.Contains("Integrity check of " + files + " FAILED", text, StringComparison.Ordinal);
        Assert.Contains(BackupCatalog.RestoreCommand(files), text, StringComparison.Ordinal);
        Assert.Contains("Scheduled backup of files failed", text, StringComparison.Ordinal); // a damaged copy is never listed
        Assert.Empty(BackupCatalog.List(files));
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    /// <summary>Zeroes a page in the middle of the file (after moving every page out of the WAL): SQLite still opens
    /// the file, integrity_check does not pass.</summary>
    private static void CorruptPage(string path)
    {
        long pages, pageSize;
        using (var raw = BackupFixture.Raw(path, readOnly: false))
        using (var command = raw.CreateCommand())
        {
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA page_count";
            pages = (long)command.ExecuteScalar()!;
            command.CommandText = "PRAGMA page_size";
            pageSize = (long)command.ExecuteScalar()!;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Position = pages / 2 * pageSize;
        stream.Write(new byte[pageSize]);
    }
}

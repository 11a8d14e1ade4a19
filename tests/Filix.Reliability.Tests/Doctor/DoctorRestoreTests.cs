using Filix.Reliability.Tests.Torture;
using Microsoft.Data.Sqlite;

namespace Filix.Reliability.Tests.Doctor;

/// <summary>The whole answer to seed 001 on one folder: doctor finds the damage and prints the restore command, that
/// command brings back the last verified backup and says what it lost, and doctor then finds the folder healthy.</summary>
public sealed class DoctorRestoreTests
{
    [Fact]
    public async Task Doctor_names_a_damaged_database_and_its_restore_command_which_brings_back_the_backup_and_reports_the_loss()
    {
        using var folder = await DoctorFolder.FilledAndBackedUpAsync();
        var storage = folder.DatabaseOf("storage");

        // Written after the backup: what the restore will undo, and must say so.
        using (var connection = Survivors.Open(storage))
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO buckets (name, endpoint, region) VALUES ('late-1', 'https://x', 'r'), ('late-2', 'https://x', 'r'), ('late-3', 'https://x', 'r')";
            Assert.Equal(3, insert.ExecuteNonQuery());
        }

        // Damage to another table's root page: the file is damaged, its buckets table can still be compared.
        Corruption.ZeroPage(storage, RootPage(storage, "objects"));

        var (exit, output, error) = await folder.RunAsync("doctor");
        Assert.True(exit == 1, output + error);
        Assert.True(output.Contains($"PROBLEM  integrity      '{storage}' is damaged", StringComparison.Ordinal), output);
        var restore = $"filix restore --latest --domain storage --data {folder.Path}";
        Assert.True(output.Contains(restore, StringComparison.Ordinal), output);
        Assert.Contains("Unhealthy: 1 problem in storage", output);

        // The command exactly as doctor printed it.
        var (restored, report, restoreError) = await folder.RunPrintedAsync(restore);
        Assert.True(restored == 0, report + restoreError);
        Assert.Contains($"Restored {storage} from storage-", report);
        Assert.Contains("kept aside: " + storage + ".damaged-", report);
        var buckets = report.Split('\n').Single(l => l.TrimStart().StartsWith("buckets ", StringComparison.Ordinal));
        // Added, changed, deleted, of which the upstream has (never synced: none), lost for good.
        Assert.Equal(["buckets", "3", "0", "0", "0", "3"], buckets.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Single(Directory.GetFiles(folder.Path, "storage.db.damaged-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));

        (exit, output, error) = await folder.RunAsync("doctor");
        Assert.True(exit == 0, output + error);
        Assert.Contains("Healthy: 7 databases checked, no problems", output);
    }

    [Fact]
    public async Task A_database_left_by_a_killed_process_is_a_warning_and_doctor_leaves_its_wal_for_the_next_open()
    {
        using var folder = await DoctorFolder.FilledAndBackedUpAsync();
        var papers = folder.DatabaseOf("papers");

        // A copy of the file and its WAL taken while a connection that never checkpoints holds frames: what a killed
        // process leaves behind.
        var live = papers + ".live";
        File.Copy(papers, live);
        using (var connection = Survivors.Open(live))
        {
            using var write = connection.CreateCommand();
            write.CommandText = "PRAGMA wal_autocheckpoint = 0; UPDATE papers SET title = title || ' (revised)'";
            write.ExecuteNonQuery();
            File.Copy(live, papers, overwrite: true);
            File.Copy(live + "-wal", papers + "-wal", overwrite: true);
        }

        var walBefore = File.ReadAllBytes(papers + "-wal");
        var (exit, output, error) = await folder.RunAsync("doctor");

        Assert.True(exit == 0, output + error);
        Assert.True(output.Contains($"warning  files          '{papers}' was not closed cleanly", StringComparison.Ordinal), output);
        Assert.Equal(walBefore, File.ReadAllBytes(papers + "-wal"));
        Assert.Contains("1 warning", output);
    }

    [Fact]
    public async Task A_backed_up_healthy_folder_has_no_warning_at_all()
    {
        using var folder = await DoctorFolder.FilledAndBackedUpAsync();
        var (exit, output, error) = await folder.RunAsync("doctor");

        Assert.True(exit == 0, output + error);
        Assert.True(output.TrimEnd().EndsWith("Healthy: 7 databases checked, no problems.", StringComparison.Ordinal), output);
        Assert.DoesNotContain("warning", output);
    }

    private static long RootPage(string path, string table)
    {
        using var connection = Survivors.Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = $t";
        command.Parameters.AddWithValue("$t", table);
        return (long)command.ExecuteScalar()!;
    }
}

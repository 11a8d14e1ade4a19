using Filix.Cli.Sync.Watch;
using Filix.Domains.Entities;
using Filix.Testing;
using Microsoft.Data.Sqlite;

namespace Filix.Cli.Tests.Sync;

/// <summary>The daemon's local watcher must see a single raw write at once: capture appends it to <c>_filix_log</c>,
/// which is folded into <c>_filix_rows</c> only every 1,024 captures (or by a push's sweep), so a check of
/// <c>_filix_rows</c> alone left single writes waiting for the 1,024th (the watch benchmark measured p50 17 s).</summary>
public sealed class LocalChangeWatcherTests
{
    [Fact]
    public async Task A_single_raw_insert_not_yet_folded_is_a_pending_change()
    {
        using var temp = TempDirectory.Create("cli-watch-pending");
        var file = Path.Combine(temp.Path, "entities.db");
        await using (await EntitiesDatabase.OpenAsync(file))
        {
            // Created with its capture triggers and bookkeeping; nothing written yet.
        }

        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        Assert.False(LocalChangeWatcher.HasPending(connection, ["entities", "events"]));

        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO entities (id, type, name) VALUES ('person:one', 'person', 'One')";
            insert.ExecuteNonQuery();
        }

        using (var rows = connection.CreateCommand())
        {
            rows.CommandText = "SELECT count(*) FROM _filix_rows";
            Assert.Equal(0L, (long)rows.ExecuteScalar()!); // still in the capture log: the case this test is about
        }

        Assert.True(LocalChangeWatcher.HasPending(connection, ["entities", "events"]));
        Assert.False(LocalChangeWatcher.HasPending(connection, ["events"]));
    }
}

using Filix.Domains.Entities;
using Filix.Runtime;
using Filix.Runtime.Sync;
using Filix.Testing.Postgres;
using Npgsql;

namespace Filix.Sync.Tests.Protocol;

/// <summary>A connection lost mid-push leaves whole batches upstream, the error says what happened without the
/// password, and the next sync finishes the job without duplicates.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class FailureTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_push_whose_connection_is_killed_mid_way_leaves_whole_batches_and_the_retry_converges()
    {
        var database = await postgres.CreateDatabaseAsync("killed_push");
        var upstream = new NpgsqlConnectionStringBuilder(database) { ApplicationName = "filix-killed-push" }.ConnectionString;
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, upstream);
        a.BatchSize = 200;
        await a.SyncAsync(); // installs, so the kill below lands in a push
        await a.Sql(string.Join(";", Enumerable.Range(0, 6000).Select(i => $"INSERT INTO entities (id, type, name) VALUES ('e:{i:D5}', 't', 'n{i}')")));

        var killed = false;
        using var stop = new CancellationTokenSource();
        var killer = Task.Run(async () =>
        {
            await using var admin = new NpgsqlConnection(database);
            await admin.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                // Once some batches are in, end the pusher's backend as a crash or a restart would.
                await using var command = new NpgsqlCommand(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'filix-killed-push' AND (SELECT count(*) FROM entities.entities) >= 1000", admin);
                if (await command.ExecuteScalarAsync() is true)
                {
                    killed = true;
                    return;
                }
            }
        });
        var error = await Record.ExceptionAsync(() => a.PushAsync());
        await stop.CancelAsync();
        await killer;
        Assert.True(killed);
        Assert.True(error is FilixException, error?.ToString());
        var failure = Assert.IsType<FilixException>(error, exactMatch: false);
        Assert.Contains("failed", failure.Message);
        Assert.Contains("sync again", failure.Message);

        // Whole batches only, and never more than the local cursor says plus the batch whose cursor write was lost.
        var upstreamRows = (long)(await Upstream.ScalarAsync(database, "SELECT count(*) FROM entities.entities"))!;
        Assert.Equal(0, upstreamRows % 200);
        Assert.InRange(upstreamRows, 1000, 5800);

        var report = await a.PushAsync();
        Assert.Equal(6000L, await Upstream.ScalarAsync(database, "SELECT count(*) FROM entities.entities"));
        Assert.Equal(6000L, await Upstream.ScalarAsync(database, "SELECT count(DISTINCT _filix_pk) FROM entities.entities"));
        Assert.InRange(report.Tables.Single(t => t.Table == "entities").Pushed, 6000 - upstreamRows, 6000 - upstreamRows + 200);
    }

    [Fact]
    public async Task An_unreachable_upstream_is_named_without_its_password()
    {
        await using var a = await Machine.OpenAsync("a", EntitiesSchema.Definition, "Host=127.0.0.1;Port=1;Database=nowhere;Username=filix;Password=s3cret-pass;Timeout=2");
        var error = await Assert.ThrowsAsync<FilixException>(() => a.SyncAsync());
        Assert.Contains("127.0.0.1:1/nowhere (user filix)", error.Message);
        Assert.DoesNotContain("s3cret-pass", error.Message);
        Assert.DoesNotContain("s3cret-pass", error.ToString());
    }
}

using Filix.Reliability.Worker;
using Filix.Runtime;
using Filix.Runtime.Health;
using Filix.Testing;
using Microsoft.Data.Sqlite;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// Found by <see cref="RandomKillTests"/>: a child's open failed with <see cref="FileNotFoundException"/> for the
/// <c>-wal</c>, because another connection closed cleanly (and so deleted the WAL) between the health check seeing the
/// WAL and opening it. Any process may close its last connection at any moment; an open beside it must not fail for it.
/// This reproduces the race directly: one thread opens and closes a connection over and over (each close deletes the
/// WAL), another runs the health check of an open.
/// </summary>
public sealed class OpenWhileClosingTests
{
    [Fact]
    public async Task The_health_check_of_an_open_survives_another_connection_deleting_the_wal()
    {
        using var folder = TempDirectory.Create("torture-race");
        var path = folder.File("torture.db");
        await using (var db = await FilixDatabase.OpenAsync(path, TortureSchema.Definition, FilixOptions.Default with { ShareWriter = false }))
        {
            await db.ExecuteAsync(TortureSchema.Insert, 4, TortureSchema.Row("a", "a", 0, 10));
        }

        using var stop = new CancellationTokenSource();
        var closer = Task.Run(() =>
        {
            var cycles = 0;
            while (!stop.IsCancellationRequested)
            {
                using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
                connection.Open();
                using var read = connection.CreateCommand();
                read.CommandText = "SELECT count(*) FROM items";
                read.ExecuteScalar();
                cycles++;
            }

            return cycles;
        });

        var failures = new List<Exception>();
        try
        {
            for (var i = 0; i < 3000 && failures.Count == 0; i++)
            {
                try
                {
                    HealthCheck.Quick(path);
                }
                catch (Exception ex) when (ex is not FilixException)
                {
                    failures.Add(ex);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
        }

        var cycles = await closer;
        Assert.True(cycles > 0);
        Assert.True(failures.Count == 0, $"the health check of an open failed while another connection closed ({cycles} closes): {failures.FirstOrDefault()}");
    }
}

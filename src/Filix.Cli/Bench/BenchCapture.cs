using Filix.Runtime;

namespace Filix.Cli.Bench;

/// <summary>
/// <c>--capture off</c>: the written table without its change-capture triggers, the write path as it was before sync,
/// so one invocation each way measures what capture costs (docs/benchmarks.md). Opening a database installs the
/// triggers again (the migrator treats missing capture as something to repair), so every process drops them after its
/// own open and before it starts writing; naive and ceiling modes write through their own connections after the
/// parent's open has dropped them.
/// </summary>
internal static class BenchCapture
{
    public static Task ApplyAsync(BenchSettings settings, FilixDatabase database)
    {
        if (settings.Capture)
        {
            return Task.CompletedTask;
        }

        var table = settings.Workload == BenchWorkload.Log ? "agent_log" : "events";
        return database.WriteAsync(static (session, table) =>
        {
            // The runtime's CaptureSql.TriggerName, which this assembly (named filix, not Filix.Cli) cannot see.
            foreach (var operation in new[] { "insert", "update", "delete" })
            {
                session.Execute($"DROP TRIGGER IF EXISTS \"_filix_capture_{table}_{operation}\"");
            }

            return 0;
        }, table);
    }
}

using Filix.Cli.Bench.Schema;
using Filix.Domains.Entities;
using Filix.Runtime;

namespace Filix.Cli.Bench;

/// <summary>Mode <c>filix</c>: the generated repositories, so every write goes through the group-commit writer.</summary>
internal sealed class FilixTarget : BenchTarget
{
    private readonly BenchRows _rows;
    private readonly BenchDatabase? _log;
    private readonly EntitiesDatabase? _entities;

    private FilixTarget(BenchRows rows, BenchDatabase? log, EntitiesDatabase? entities)
    {
        _rows = rows;
        _log = log;
        _entities = entities;
    }

    public static async Task<FilixTarget> OpenAsync(BenchSettings settings, BenchRows rows, FilixShutdown? shutdown)
    {
        if (settings.Workload == BenchWorkload.Log)
        {
            var log = await BenchDatabase.OpenAsync(settings.DatabasePath, settings.FilixOptions).ConfigureAwait(false);
            shutdown?.Register(log);
            await BenchCapture.ApplyAsync(settings, log.Database).ConfigureAwait(false);
            return new FilixTarget(rows, log, null);
        }

        var entities = await EntitiesDatabase.OpenAsync(settings.DatabasePath, settings.FilixOptions).ConfigureAwait(false);
        shutdown?.Register(entities);
        await BenchCapture.ApplyAsync(settings, entities.Database).ConfigureAwait(false);
        return new FilixTarget(rows, null, entities);
    }

    public override ValueTask WriteAsync(int writer, long n, CancellationToken cancellationToken) => new(_log is not null
        ? _log.AgentLog.InsertAsync(_rows.Log(writer, n), cancellationToken)
        : _entities!.Events.UpsertAsync(_rows.Event(writer, n), cancellationToken));

    public override async ValueTask DisposeAsync()
    {
        if (_log is not null)
        {
            await _log.DisposeAsync().ConfigureAwait(false);
        }

        if (_entities is not null)
        {
            await _entities.DisposeAsync().ConfigureAwait(false);
        }
    }
}

using Filix.Cli.Bench.Schema;
using Filix.Domains.Entities;
using Npgsql;

namespace Filix.Cli.Bench;

/// <summary>Mode <c>postgres</c>: the same rows through the generated upstream adapters, one transaction per write
/// (autocommit) with <c>synchronous_commit=on</c>, a pooled connection per concurrent writer.</summary>
internal sealed class PostgresTarget : BenchTarget
{
    private readonly BenchSettings _settings;
    private readonly BenchRows _rows;
    private readonly NpgsqlDataSource _source;

    public PostgresTarget(BenchSettings settings, BenchRows rows, int writers)
    {
        _settings = settings;
        _rows = rows;
        _source = DataSource(settings, writers);
    }

    public static NpgsqlDataSource DataSource(BenchSettings settings, int writers)
    {
        if (string.IsNullOrWhiteSpace(settings.Upstream))
        {
            throw new BenchException("Mode postgres needs --upstream \"Host=...;Username=...;Database=...\" (a Postgres database the benchmark may create a schema and tables in: it writes to the domain's schema, as the upstream adapters do).");
        }

        var builder = new NpgsqlConnectionStringBuilder(settings.Upstream)
        {
            MaxPoolSize = Math.Max(writers + 2, 10),
            Options = "-c synchronous_commit=on",
        };
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override async ValueTask WriteAsync(int writer, long n, CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (_settings.Workload == BenchWorkload.Log)
        {
            await AgentLogUpstream.UpsertAsync(connection, [_rows.Log(writer, n)], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await EventsUpstream.UpsertAsync(connection, [_rows.Event(writer, n)], cancellationToken).ConfigureAwait(false);
        }
    }

    public override ValueTask DisposeAsync() => _source.DisposeAsync();
}

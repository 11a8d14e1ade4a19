using Npgsql;

namespace Filix.Sync.Bench;

/// <summary>One statement shape as pg_stat_statements saw it during a measured step.</summary>
internal sealed record StatementTime(string Kind, string Query, long Calls, double Milliseconds, long Rows);

/// <summary>Where the server's time went during one step: statement times by kind and the WAL's writes and flushes.</summary>
internal sealed record ServerBreakdown(
    IReadOnlyList<StatementTime> Statements,
    long WalRecords,
    long WalBytes,
    long WalSyncs,
    double WalWriteMilliseconds,
    double WalSyncMilliseconds,
    double ServerCpuSeconds)
{
    public IEnumerable<(string Kind, long Calls, double Milliseconds)> ByKind() =>
        Statements.GroupBy(s => s.Kind).Select(g => (g.Key, g.Sum(s => s.Calls), g.Sum(s => s.Milliseconds))).OrderByDescending(k => k.Item3);
}

/// <summary>
/// Reads pg_stat_statements (every statement's execution time, COPY included: its time runs from the first to the
/// last row received, so it holds the client's reading of the rows as well) and pg_stat_wal (flushes and their time:
/// the price of fsync=on) around one step, plus the CPU the server's processes used.
/// </summary>
internal sealed class ServerPhases(BenchCluster cluster, string connectionString)
{
    private double _cpuAtStart;

    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var reset = new NpgsqlCommand("SELECT pg_stat_statements_reset(); SELECT pg_stat_reset_shared('wal')", connection);
        await reset.ExecuteNonQueryAsync();
        _cpuAtStart = ProcStats.TreeCpuSeconds(cluster.PostmasterPid());
    }

    public async Task<ServerBreakdown> ReadAsync()
    {
        // Backends report WAL counters to the cumulative statistics when they exit or idle (at most once a second):
        // close this process's pooled connections and give the rest a moment, so the step's flushes are all counted.
        NpgsqlConnection.ClearAllPools();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var cpu = ProcStats.TreeCpuSeconds(cluster.PostmasterPid()) - _cpuAtStart;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var statements = new List<StatementTime>();
        await using (var command = new NpgsqlCommand(
            "SELECT query, calls, total_exec_time, rows FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
            "AND query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var query = reader.GetString(0);
                statements.Add(new StatementTime(Kind(query), Shorten(query), reader.GetInt64(1), reader.GetDouble(2), reader.GetInt64(3)));
            }
        }

        await using var wal = new NpgsqlCommand("SELECT wal_records, wal_bytes::bigint, wal_sync, wal_write_time, wal_sync_time FROM pg_stat_wal", connection);
        await using var walReader = await wal.ExecuteReaderAsync();
        await walReader.ReadAsync();
        return new ServerBreakdown(statements, walReader.GetInt64(0), walReader.GetInt64(1), walReader.GetInt64(2), walReader.GetDouble(3), walReader.GetDouble(4), cpu);
    }

    /// <summary>The statement's kind: COPY (rows streamed in), merge (INSERT … ON CONFLICT), INSERT, DELETE, UPDATE,
    /// SELECT, foreign-key checks, transaction control (pg_stat_statements does not list COMMIT here: its cost is the WAL
    /// flush, in pg_stat_wal), DDL, other.</summary>
    private static string Kind(string query)
    {
        var q = query.TrimStart().ToUpperInvariant();
        if (q.StartsWith("COPY", StringComparison.Ordinal))
        {
            return "COPY";
        }

        if (q.StartsWith("INSERT", StringComparison.Ordinal) || q.StartsWith("WITH", StringComparison.Ordinal) && q.Contains("INSERT", StringComparison.Ordinal))
        {
            return q.Contains("ON CONFLICT", StringComparison.Ordinal) ? "merge (INSERT ... ON CONFLICT)" : "INSERT";
        }

        if (q.Contains("FOR KEY SHARE OF X", StringComparison.Ordinal))
        {
            return "foreign-key checks (deferred to COMMIT)";
        }

        foreach (var kind in new[] { "DELETE", "UPDATE", "SELECT" })
        {
            if (q.StartsWith(kind, StringComparison.Ordinal))
            {
                return kind;
            }
        }

        if (q.StartsWith("COMMIT", StringComparison.Ordinal) || q.StartsWith("BEGIN", StringComparison.Ordinal) || q.StartsWith("START", StringComparison.Ordinal)
            || q.StartsWith("SAVEPOINT", StringComparison.Ordinal) || q.StartsWith("RELEASE", StringComparison.Ordinal) || q.StartsWith("ROLLBACK", StringComparison.Ordinal))
        {
            return "transaction control";
        }

        if (q.StartsWith("CREATE", StringComparison.Ordinal) || q.StartsWith("ALTER", StringComparison.Ordinal) || q.StartsWith("DROP", StringComparison.Ordinal)
            || q.StartsWith("TRUNCATE", StringComparison.Ordinal) || q.StartsWith("DO", StringComparison.Ordinal))
        {
            return "DDL";
        }

        return q.StartsWith("SET", StringComparison.Ordinal) ? "SET" : "other";
    }

    private static string Shorten(string query)
    {
        var flat = string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 160 ? flat : flat[..157] + "...";
    }
}

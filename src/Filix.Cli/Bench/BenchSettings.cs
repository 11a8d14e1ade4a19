using Filix.Runtime;

namespace Filix.Cli.Bench;

/// <summary>What <c>filix bench writers</c> measures.</summary>
internal enum BenchMode
{
    /// <summary>Generated repositories through the group-commit writer.</summary>
    Filix,

    /// <summary>Microsoft.Data.Sqlite, a connection per writer, one transaction per write, busy_timeout.</summary>
    Naive,

    /// <summary>The same rows into Postgres, one transaction per write, synchronous_commit on.</summary>
    Postgres,

    /// <summary>One thread writing the same rows in large transactions: what the disk and SQLite allow at best.</summary>
    Ceiling,
}

/// <summary>The rows written.</summary>
internal enum BenchWorkload
{
    /// <summary>Seed 003's append-only agent log: agent id, timestamp, ~200-byte JSON payload.</summary>
    Log,

    /// <summary>Upserts into entities' <c>events</c>, keyed by (entity_id, role, role_type).</summary>
    Events,
}

/// <summary>One benchmark run's parameters, shared by the parent and its worker processes.</summary>
internal sealed record BenchSettings
{
    public required BenchMode Mode { get; init; }

    public required BenchWorkload Workload { get; init; }

    /// <summary>Concurrent writers in all processes together.</summary>
    public required int Writers { get; init; }

    public required int Processes { get; init; }

    public required double Seconds { get; init; }

    public required SynchronousMode Synchronous { get; init; }

    /// <summary>Mode filix: hand the write lock between processes with flock (true) or leave the waiting to SQLite's
    /// busy handler (false), to measure the difference.</summary>
    public bool LockHandoff { get; init; } = true;

    /// <summary>Mode filix across processes: one writer for all of them (the default) or one per process.</summary>
    public bool ShareWriter { get; init; } = true;

    /// <summary>Whether the written table keeps its change-capture triggers (sync, issue 11): on (as every database
    /// of a shared table has them) or off (dropped after each open), to measure what capture costs a write.</summary>
    public bool Capture { get; init; } = true;

    /// <summary>Mode ceiling: rows per transaction (a hidden option, 1000 by default).</summary>
    public int CeilingBatch { get; init; } = 1000;

    /// <summary>Postgres connection string (mode postgres).</summary>
    public string? Upstream { get; init; }

    /// <summary>The folder holding the benchmark's databases.</summary>
    public required string Folder { get; init; }

    /// <summary>How many writers process <paramref name="index"/> runs: the writers spread as evenly as possible.</summary>
    public int WritersOf(int index) => (Writers / Processes) + (index < Writers % Processes ? 1 : 0);

    public FilixOptions FilixOptions => new() { Synchronous = Synchronous, CrossProcessWriteLock = LockHandoff, ShareWriter = ShareWriter };

    public string DatabasePath => Path.Combine(Folder, Workload == BenchWorkload.Log ? Schema.BenchDatabase.FileName : Filix.Domains.Entities.EntitiesDatabase.FileName);
}

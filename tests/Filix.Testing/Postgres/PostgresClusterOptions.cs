namespace Filix.Testing.Postgres;

/// <summary>How a throwaway cluster is started.</summary>
public sealed record PostgresClusterOptions
{
    public static readonly PostgresClusterOptions Default = new();

    /// <summary>
    /// False (default, for tests): <c>fsync</c>, <c>synchronous_commit</c> and <c>full_page_writes</c> are off, so a
    /// commit costs no disk flush. True (benchmarks): Postgres's durable defaults, so timings mean something.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>The folder holding the PostgreSQL binaries (<c>initdb</c>, <c>pg_ctl</c>); null finds them.</summary>
    public string? BinFolder { get; init; }

    /// <summary>How long to wait for the server to accept connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

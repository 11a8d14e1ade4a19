using Filix.Cli.Domains;
using Filix.Runtime;

namespace Filix.Cli.Seeding;

/// <summary>
/// What the CLI needs to know about one generated database type: its tables' counters, how to fill it with
/// realistic rows at the seed's sizes, and how to read them back. One subclass per domain, in this folder.
/// </summary>
internal abstract class DomainSeeder<TDatabase>
{
    public abstract FilixDatabase Database(TDatabase database);

    /// <summary>Every table of the domain with its repository's <c>CountAsync</c>, in declaration order.</summary>
    public abstract IReadOnlyList<TableCounter> Tables(TDatabase database);

    /// <summary>Fills an empty database. Parents are inserted before the rows that reference them.</summary>
    public abstract Task SeedAsync(TDatabase database, SeedContext context);

    /// <summary>Reads the data back through the repositories: a full scan, key lookups and index lookups. It
    /// works on any data in the database (seeded now or earlier), taking its keys from the scan.</summary>
    public abstract Task<IReadOnlyList<ReadCheck>> ReadBackAsync(TDatabase database, CancellationToken cancellationToken);
}

/// <summary>A table and its repository's row counter.</summary>
internal sealed record TableCounter(string Name, Func<CancellationToken, ValueTask<long>> CountAsync);

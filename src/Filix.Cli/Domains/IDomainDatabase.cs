using Filix.Cli.Seeding;
using Filix.Runtime;

namespace Filix.Cli.Domains;

/// <summary>An open domain database, whatever its generated type.</summary>
internal interface IDomainDatabase : IAsyncDisposable
{
    FilixDatabase Database { get; }

    /// <summary>Each table's row count, through the generated repositories, in declaration order.</summary>
    Task<IReadOnlyList<TableRows>> CountAsync(CancellationToken cancellationToken);

    /// <summary>Fills the empty database with generated rows.</summary>
    Task SeedAsync(SeedContext context);

    /// <summary>Reads the data back through the repositories (scan, key and index lookups) and checks it agrees.</summary>
    Task<IReadOnlyList<ReadCheck>> ReadBackAsync(CancellationToken cancellationToken);
}

/// <summary>A table and its row count.</summary>
internal sealed record TableRows(string Table, long Rows);

/// <summary>One read made through a repository, what it returned and how long it took.</summary>
internal sealed record ReadCheck(string Description, long Rows, double Milliseconds);

internal sealed class DomainDatabase<TDatabase>(TDatabase database, DomainSeeder<TDatabase> seeder) : IDomainDatabase
    where TDatabase : IAsyncDisposable
{
    public FilixDatabase Database => seeder.Database(database);

    public async Task<IReadOnlyList<TableRows>> CountAsync(CancellationToken cancellationToken)
    {
        var counts = new List<TableRows>();
        foreach (var table in seeder.Tables(database))
        {
            counts.Add(new TableRows(table.Name, await table.CountAsync(cancellationToken).ConfigureAwait(false)));
        }

        return counts;
    }

    public Task SeedAsync(SeedContext context) => seeder.SeedAsync(database, context);

    public Task<IReadOnlyList<ReadCheck>> ReadBackAsync(CancellationToken cancellationToken) => seeder.ReadBackAsync(database, cancellationToken);

    public ValueTask DisposeAsync() => database.DisposeAsync();
}

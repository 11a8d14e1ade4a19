using Filix.Cli.Seeding;
using Filix.Runtime;

namespace Filix.Cli.Domains;

/// <summary>
/// One domain as the CLI sees it: its schema, its DDL for people to read, and how to open, count, fill and read
/// back its database. Commands work on this shape only, so a new command (migrate, bench, sync) needs no
/// per-domain code, and a new domain is one line in <see cref="DomainRegistry"/>.
/// </summary>
internal sealed class DomainDefinition
{
    private readonly Func<string, FilixOptions, CancellationToken, Task<IDomainDatabase>> _open;

    private DomainDefinition(DatabaseSchema schema, string sqliteDdl, string postgresDdl, Func<string, FilixOptions, CancellationToken, Task<IDomainDatabase>> open)
    {
        Schema = schema;
        SqliteDdl = sqliteDdl;
        PostgresDdl = postgresDdl;
        _open = open;
    }

    public string Name => Schema.Domain;

    public DatabaseSchema Schema { get; }

    /// <summary>Every table, as SQLite DDL.</summary>
    public string SqliteDdl { get; }

    /// <summary>The shared (sync and optional) tables, as Postgres DDL; only a comment for a local-only domain.</summary>
    public string PostgresDdl { get; }

    /// <summary>Whether any of the domain's tables leave this machine.</summary>
    public bool Shared => Schema.PostgresDdl.Count > 0;

    public string PathIn(string dataFolder) => Path.Combine(dataFolder, Schema.FileName);

    /// <summary>Opens (and with <see cref="FilixOptions.CreateIfMissing"/> creates) the domain's database in a data folder.</summary>
    public Task<IDomainDatabase> OpenAsync(string dataFolder, FilixOptions options, CancellationToken cancellationToken) =>
        _open(PathIn(dataFolder), options, cancellationToken);

    /// <summary>Binds a generated database type to the CLI's untyped view of it.</summary>
    public static DomainDefinition Create<TDatabase>(
        DatabaseSchema schema,
        string sqliteDdl,
        string postgresDdl,
        Func<string, FilixOptions?, CancellationToken, Task<TDatabase>> open,
        DomainSeeder<TDatabase> seeder)
        where TDatabase : IAsyncDisposable =>
        new(schema, sqliteDdl, postgresDdl, async (path, options, ct) =>
            new DomainDatabase<TDatabase>(await open(path, options, ct).ConfigureAwait(false), seeder));
}

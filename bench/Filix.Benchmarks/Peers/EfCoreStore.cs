using System.Globalization;
using System.Text;
using Filix.Domains.Entities;
using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Filix.Benchmarks.Peers;

/// <summary>
/// EF Core as its performance guidance recommends: pooled contexts over one open connection, no-tracking
/// compiled queries for the reads, AddRange + SaveChanges (batched, one transaction) for the insert.
/// </summary>
internal sealed class EfCoreStore
{
    private static readonly Func<EntitiesContext, string, Entity?> GetQuery =
        EF.CompileQuery((EntitiesContext context, string id) => context.Entities.AsNoTracking().FirstOrDefault(e => e.Id == id));

    private static readonly Func<EntitiesContext, string, IEnumerable<Event>> FindEventsQuery =
        EF.CompileQuery((EntitiesContext context, string entityId) => context.Events.AsNoTracking()
            .Where(e => e.EntityId == entityId).OrderBy(e => e.EntityId).ThenBy(e => e.Role).ThenBy(e => e.RoleType).AsQueryable());

    private static readonly Func<EntitiesContext, IEnumerable<Entity>> ScanQuery =
        EF.CompileQuery((EntitiesContext context) => context.Entities.AsNoTracking().OrderBy(e => e.Id).AsQueryable());

    private readonly PooledDbContextFactory<EntitiesContext> _contexts;

    public EfCoreStore(SqliteConnection connection)
    {
        var options = new DbContextOptionsBuilder<EntitiesContext>().UseSqlite(connection).Options;
        _contexts = new PooledDbContextFactory<EntitiesContext>(options);
    }

    public Entity? Get(string id)
    {
        using var context = _contexts.CreateDbContext();
        return GetQuery(context, id);
    }

    public List<Event> FindEvents(string entityId)
    {
        using var context = _contexts.CreateDbContext();
        return FindEventsQuery(context, entityId).ToList();
    }

    public int Scan()
    {
        using var context = _contexts.CreateDbContext();
        var count = 0;
        foreach (var entity in ScanQuery(context))
        {
            count += entity.Name.Length > 0 ? 1 : 0;
        }

        return count;
    }

    public int Insert(IReadOnlyList<Entity> rows)
    {
        using var context = _contexts.CreateDbContext();
        context.Entities.AddRange(rows);
        return context.SaveChanges();
    }
}

/// <summary>The two tables as EF Core sees them: Filix's own record types, snake_case names, composite key on
/// events, and timestamps converted to the UTC round-trip text Filix stores (EF's default text form differs).</summary>
internal sealed class EntitiesContext(DbContextOptions<EntitiesContext> options) : DbContext(options)
{
    public DbSet<Entity> Entities => Set<Entity>();

    public DbSet<Event> Events => Set<Event>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<TimestampConverter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Entity>().ToTable("entities").HasKey(e => e.Id);
        modelBuilder.Entity<Event>().ToTable("events").HasKey(e => new { e.EntityId, e.Role, e.RoleType });
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(t => t.GetProperties()))
        {
            property.SetColumnName(SnakeCase(property.Name));
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    internal sealed class TimestampConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, string>(
        value => value.UtcDateTime.ToString(Sql.RoundTrip, CultureInfo.InvariantCulture),
        text => SqliteValues.ParseTimestamp(text));
}

using Filix.Cli.Domains;
using Filix.Domains.Entities;
using Filix.Runtime;

namespace Filix.Cli.Seeding;

/// <summary>Seed 000's entities.db: 11,000 entities (people, papers, projects, ...) with a few events each.</summary>
internal sealed class EntitiesSeeder : DomainSeeder<EntitiesDatabase>
{
    public const int EntityCount = 11_000;

    private static readonly string[] Types = ["person", "paper", "project", "organisation", "dataset", "topic", "place", "tool"];
    private static readonly string[] Projects = ["antilia", "filix", "haak", "serotonin-atlas", "sleep-study", "lit-review-2026", "dj-archive"];
    private static readonly string[] Tags = ["5-HT", "mouse", "human", "review", "methods", "to-read", "important", "archived", "draft", "shared"];
    private static readonly string[] Stages = ["idea", "active", "review", "done"];
    private static readonly string[] Sources = ["build_entities.py", "laptop", "server", "papers.db", "contacts.db", "storage.db"];

    public override FilixDatabase Database(EntitiesDatabase database) => database.Database;

    public override IReadOnlyList<TableCounter> Tables(EntitiesDatabase database) =>
        [new(EntitiesTable.Name, database.Entities.CountAsync), new(EventsTable.Name, database.Events.CountAsync)];

    public override async Task SeedAsync(EntitiesDatabase database, SeedContext context)
    {
        var data = context.Data;
        var entities = new List<Entity>();
        var events = new List<Event>();
        for (var i = 0; i < context.Size(EntityCount); i++)
        {
            var type = Types[Math.Min(Types.Length - 1, (int)Math.Abs(data.Gaussian() * 2.5))];
            var name = type switch
            {
                "person" => $"{data.GivenName()} {data.FamilyName()}",
                "paper" => data.PaperTitle(),
                "place" => data.City(),
                _ => SampleData.Capital(data.Pick(SampleData.Topics)) + " " + data.Pick(["project", "group", "set", "index", "study", "notes"]),
            };
            var created = context.Past(900);
            var entity = new Entity
            {
                Id = $"{type}:{SampleData.Slug(name)}-{i:x5}",
                Type = type,
                Name = name,
                Aliases = data.Chance(0.2) ? SampleData.JsonArray([name.Split(' ')[0]]) : "[]",
                Summary = data.Chance(0.5) ? data.Sentence() : null,
                Url = data.Chance(0.3) ? $"https://example.org/{type}/{i}" : null,
                Attributes = "{}",
                CreatedAt = created,
                UpdatedAt = created.AddDays(data.Random.Next(0, 60)),
            };
            entities.Add(entity);

            // A few distinct statements per entity: the (entity_id, role, role_type) key must not repeat.
            var seen = new HashSet<(string, string)>();
            for (var e = data.Random.Next(1, 6); e > 0; e--)
            {
                var (role, roleType) = data.Random.Next(4) switch
                {
                    0 => (data.Pick(Tags), "tag"),
                    1 => (data.Pick(Projects), "member_of"),
                    2 => (data.Pick(Stages), "stage"),
                    _ => (data.Pick(Sources), "source"),
                };
                if (!seen.Add((role, roleType)))
                {
                    continue;
                }

                var ended = data.Chance(0.1);
                var start = DateOnly.FromDateTime(created.UtcDateTime);
                events.Add(new Event
                {
                    EntityId = entity.Id,
                    Role = role,
                    RoleType = roleType,
                    Status = ended ? "ended" : "active",
                    StartDate = start,
                    EndDate = ended ? start.AddDays(data.Random.Next(1, 300)) : null,
                    Source = data.Pick(Sources),
                    Confidence = data.Chance(0.3) ? Math.Round(data.Random.NextDouble(), 2) : null,
                    CreatedAt = created,
                    UpdatedAt = created,
                });
            }
        }

        await context.InsertAsync(EntitiesTable.Name, entities, database.Entities.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(EventsTable.Name, events, database.Events.InsertManyAsync).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<ReadCheck>> ReadBackAsync(EntitiesDatabase database, CancellationToken cancellationToken)
    {
        var read = new ReadBack(Database(database), cancellationToken);
        var entities = await read.ScanAsync(EntitiesTable.Name, database.Entities.CountAsync, database.Entities.ScanAsync).ConfigureAwait(false);
        var events = await read.ScanAsync(EventsTable.Name, database.Events.CountAsync, database.Events.ScanAsync).ConfigureAwait(false);
        await read.GetEachAsync("get entity by id", entities, (e, ct) => database.Entities.GetAsync(e.Id, ct)).ConfigureAwait(false);
        await read.FindEachAsync("find entities by (type, name)", entities, (e, ct) => database.Entities.FindByTypeAndNameAsync(e.Type, e.Name, ct), (e, r) => r.Id == e.Id).ConfigureAwait(false);
        await read.GetEachAsync("get event by (entity_id, role, role_type)", events, (e, ct) => database.Events.GetAsync(e.EntityId, e.Role, e.RoleType, ct)).ConfigureAwait(false);
        await read.FindEachAsync("find events by entity_id", events, (e, ct) => database.Events.FindByEntityIdAsync(e.EntityId, ct), (e, r) => r == e).ConfigureAwait(false);
        return read.Checks;
    }
}

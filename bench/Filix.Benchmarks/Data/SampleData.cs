using System.Globalization;
using Filix.Domains.Entities;

namespace Filix.Benchmarks.Data;

/// <summary>
/// Deterministic, realistic rows for the entities domain: people, papers, projects, organisations, datasets and
/// places with aliases, JSON attributes, optional summaries and URLs, and about three events each (a tag, a
/// membership, a lifecycle stage). The same seed gives the same rows in every benchmark process.
/// </summary>
internal static class SampleData
{
    public const int EntityCount = 11_000;
    public const int InsertCount = 10_000;

    private static readonly string[] Types = ["person", "paper", "project", "organisation", "dataset", "place"];
    private static readonly string[] Given = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Ken", "Margaret", "Niklaus"];
    private static readonly string[] Family = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Perlman", "Thompson", "Hamilton", "Wirth"];
    private static readonly string[] Words = ["adaptive", "sparse", "graph", "local-first", "replication", "schema", "index", "survey", "climate", "genome", "sensor", "archive"];
    private static readonly string[] Tags = ["important", "reviewed", "draft", "archived", "shared", "external", "todo", "follow-up"];
    private static readonly string[] Stages = ["idea", "active", "paused", "done"];
    private static readonly string[] Sources = ["laptop-anna", "desk-ben", "import:zotero", "import:orcid", null!];
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static List<Entity> Entities(int count, int seed, string idPrefix = "")
    {
        var random = new Random(seed);
        var rows = new List<Entity>(count);
        for (var i = 0; i < count; i++)
        {
            var type = Types[random.Next(Types.Length)];
            var name = type == "person"
                ? $"{Given[random.Next(Given.Length)]} {Family[random.Next(Family.Length)]}"
                : $"{Capitalise(Words[random.Next(Words.Length)])} {Words[random.Next(Words.Length)]} {i % 97}";
            var created = Epoch.AddSeconds(random.Next(0, 60 * 60 * 24 * 700)).AddTicks(random.Next(0, 10_000_000));
            rows.Add(new Entity
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{idPrefix}{type}:{Slug(name)}-{i:D5}"),
                Type = type,
                Name = name,
                Aliases = random.Next(3) == 0 ? "[]" : $"[\"{name.Split(' ')[0]}\",\"{Slug(name)}\"]",
                Summary = random.Next(4) == 0 ? null : $"{Capitalise(type)} known as {name}, noted for {Words[random.Next(Words.Length)]} work and {Words[random.Next(Words.Length)]} results.",
                Url = random.Next(2) == 0 ? null : $"https://example.org/{type}/{Slug(name)}-{i}",
                Attributes = type == "person"
                    ? $"{{\"orcid\":\"0000-0002-{random.Next(1000, 9999)}-{random.Next(1000, 9999)}\",\"affiliation\":\"{Family[random.Next(Family.Length)]} Lab\"}}"
                    : $"{{\"year\":{2000 + random.Next(25)},\"keywords\":[\"{Words[random.Next(Words.Length)]}\",\"{Words[random.Next(Words.Length)]}\"]}}",
                CreatedAt = created,
                UpdatedAt = created.AddMinutes(random.Next(0, 60 * 24 * 30)),
            });
        }

        return rows;
    }

    public static List<Event> Events(IReadOnlyList<Entity> entities, int seed)
    {
        var random = new Random(seed);
        var rows = new List<Event>(entities.Count * 3);
        foreach (var entity in entities)
        {
            rows.Add(Event(random, entity, Tags[random.Next(Tags.Length)], "tag"));
            rows.Add(Event(random, entity, $"project:{Words[random.Next(Words.Length)]}", "member_of"));
            rows.Add(Event(random, entity, Stages[random.Next(Stages.Length)], "stage"));
        }

        return rows;
    }

    private static Event Event(Random random, Entity entity, string role, string roleType)
    {
        var start = DateOnly.FromDateTime(entity.CreatedAt.UtcDateTime).AddDays(random.Next(0, 90));
        return new Event
        {
            EntityId = entity.Id,
            Role = role,
            RoleType = roleType,
            Status = random.Next(8) == 0 ? "ended" : "active",
            StartDate = roleType == "tag" ? null : start,
            EndDate = random.Next(5) == 0 ? start.AddDays(random.Next(1, 400)) : null,
            Source = Sources[random.Next(Sources.Length)],
            Confidence = random.Next(3) == 0 ? null : Math.Round(random.NextDouble(), 3),
            Note = random.Next(4) == 0 ? $"Said in the {Words[random.Next(Words.Length)]} meeting." : null,
            CreatedAt = entity.CreatedAt.AddHours(random.Next(0, 48)),
            UpdatedAt = entity.UpdatedAt,
        };
    }

    private static string Slug(string name) => name.ToLowerInvariant().Replace(' ', '-');

    private static string Capitalise(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}

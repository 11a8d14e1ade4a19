using System.Globalization;
using Filix.Cli.Bench.Schema;
using Filix.Domains.Entities;

namespace Filix.Cli.Bench;

/// <summary>
/// The rows every mode writes, so the modes compare like with like. Ids are <c>&lt;process&gt;-&lt;writer&gt;-&lt;n&gt;</c>;
/// event keys cycle through <see cref="EntityCount"/> entities x 50 roles x 3 role types, so most writes update.
/// </summary>
internal sealed class BenchRows(int process)
{
    public const int EntityCount = 1000;
    private static readonly string[] RoleTypes = ["tag", "member_of", "stage"];

    public AgentLog Log(int writer, long n) => new()
    {
        Id = Id(writer, n),
        AgentId = Agent(writer),
        At = DateTimeOffset.UtcNow,
        Payload = string.Create(CultureInfo.InvariantCulture,
            $$"""{"agent":"{{Agent(writer)}}","step":{{n}},"tool":"write_file","path":"src/module_{{n % 97}}/file_{{n % 13}}.cs","status":"ok","tokens":{{(n * 37) % 4096}},"note":"appended by filix bench writers"}"""),
    };

    public Event Event(int writer, long n)
    {
        var key = (ulong)HashCode.Combine(process, writer, n);
        return new Event
        {
            EntityId = EntityId((int)(key % EntityCount)),
            Role = "role-" + ((key / EntityCount) % 50).ToString(CultureInfo.InvariantCulture),
            RoleType = RoleTypes[(int)(key % 3)],
            Source = Agent(writer),
            Confidence = (key % 100) / 100.0,
            Note = Id(writer, n),
            UpdatedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>The entities the events refer to (their foreign key), written before the run.</summary>
    public static IEnumerable<Entity> Entities() => Enumerable.Range(0, EntityCount).Select(i => new Entity
    {
        Id = EntityId(i),
        Type = "project",
        Name = "Project " + i.ToString(CultureInfo.InvariantCulture),
    });

    private static string EntityId(int i) => "bench:" + i.ToString(CultureInfo.InvariantCulture);

    private string Agent(int writer) => string.Create(CultureInfo.InvariantCulture, $"agent-{process}-{writer}");

    private string Id(int writer, long n) => string.Create(CultureInfo.InvariantCulture, $"{process}-{writer}-{n}");
}

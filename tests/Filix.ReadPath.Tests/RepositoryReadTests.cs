using Filix.Domains.Entities;
using Microsoft.Data.Sqlite;

namespace Filix.ReadPath.Tests;

/// <summary>Rows written through the generated repositories read back equal, through every read shape the
/// benchmarks measure, and are stored in the documented text forms.</summary>
public sealed class RepositoryReadTests
{
    private static readonly DateTimeOffset Created = new DateTimeOffset(2024, 5, 17, 8, 31, 12, TimeSpan.FromHours(2)).AddTicks(1234560);

    [Fact]
    public async Task Get_lookup_and_scan_return_what_was_written()
    {
        using var folder = new TempFolder();
        await using var db = await EntitiesDatabase.OpenInFolderAsync(folder.Path);
        var ada = new Entity { Id = "person:ada", Type = "person", Name = "Ada Lovelace", Summary = null, Url = "https://example.org/ada", CreatedAt = Created, UpdatedAt = Created };
        var grace = new Entity { Id = "person:grace", Type = "person", Name = "Grace Hopper", Attributes = "{\"navy\":true}", CreatedAt = Created, UpdatedAt = Created.AddDays(1) };
        await db.Entities.InsertManyAsync([grace, ada]);
        Event[] events =
        [
            new() { EntityId = "person:ada", Role = "notes", RoleType = "tag", CreatedAt = Created, UpdatedAt = Created },
            new() { EntityId = "person:ada", Role = "engine", RoleType = "member_of", StartDate = new DateOnly(1842, 9, 1), Confidence = 0.9, CreatedAt = Created, UpdatedAt = Created },
            new() { EntityId = "person:grace", Role = "cobol", RoleType = "member_of", CreatedAt = Created, UpdatedAt = Created },
        ];
        await db.Events.InsertManyAsync(events);

        Assert.Equal(ada, await db.Entities.GetAsync("person:ada"));
        Assert.Null(await db.Entities.GetAsync("person:nobody"));
        Assert.Equal([events[1], events[0]], await db.Events.FindByEntityIdAsync("person:ada"));
        var scanned = new List<Entity>();
        await foreach (var row in db.Entities.ScanAsync())
        {
            scanned.Add(row);
        }

        Assert.Equal([ada, grace], scanned);
    }

    [Fact]
    public async Task Timestamps_and_dates_are_stored_as_fixed_width_text()
    {
        using var folder = new TempFolder();
        await using (var db = await EntitiesDatabase.OpenInFolderAsync(folder.Path))
        {
            await db.Entities.InsertAsync(new Entity { Id = "paper:1", Type = "paper", Name = "On Computable Numbers", CreatedAt = Created, UpdatedAt = Created });
            await db.Events.InsertAsync(new Event { EntityId = "paper:1", Role = "done", RoleType = "stage", StartDate = new DateOnly(1936, 11, 12), CreatedAt = Created, UpdatedAt = Created });
        }

        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder.Path, EntitiesDatabase.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT e.\"created_at\", v.\"start_date\" FROM \"entities\" e JOIN \"events\" v ON v.\"entity_id\" = e.\"id\"";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("2024-05-17T06:31:12.1234560Z", reader.GetString(0));
        Assert.Equal("1936-11-12", reader.GetString(1));
    }
}

using Filix.Domains.Entities;
using Filix.Runtime.Sqlite;

namespace Filix.ReadPath.Tests;

/// <summary>
/// The read bodies live in the runtime (<c>Filix.Runtime.Repositories.TableReads</c>), called with the table's
/// bind and read delegates: that must cost a read nothing. A warm repository read allocates exactly what the same
/// read written by hand on the same connection allocates (the record, its strings, the list), no delegate, closure,
/// state box or task of its own.
/// </summary>
public sealed class ReadAllocationTests
{
    private const string Columns = "SELECT \"id\", \"type\", \"name\", \"aliases\", \"summary\", \"url\", \"attributes\", \"created_at\", \"updated_at\" FROM \"entities\" ";
    private const string ByKey = Columns + "WHERE \"id\" = $p0";
    private const string ByTypeAndName = Columns + "WHERE \"type\" = $p0 AND \"name\" = $p1 ORDER BY \"id\"";

    [Fact]
    public async Task A_repository_read_allocates_what_the_same_read_by_hand_allocates()
    {
        using var folder = new TempFolder();
        var options = new Filix.Runtime.FilixOptions { MaxReaders = 1 }; // one connection: both reads use it, warm
        await using var db = await EntitiesDatabase.OpenInFolderAsync(folder.Path, options);
        var now = DateTimeOffset.UtcNow;
        await db.Entities.InsertManyAsync(
        [
            new Entity { Id = "a", Type = "person", Name = "Ada", CreatedAt = now, UpdatedAt = now },
            new Entity { Id = "b", Type = "person", Name = "Ada", CreatedAt = now, UpdatedAt = now },
        ]);

        var byKey = Measure(() => db.Entities.GetAsync("a").Result!.Id.Length);
        var byKeyByHand = Measure(() => db.Database.ReadAsync(static (session, id) =>
        {
            var command = session.Command(ByKey, 1);
            command.Parameters[0].Value = id;
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }, "a").Result!.Id.Length);
        var list = Measure(() => db.Entities.FindByTypeAndNameAsync("person", "Ada").Result.Count);
        var listByHand = Measure(() => db.Database.ReadAsync(static (session, state) =>
        {
            var command = session.Command(ByTypeAndName, 2);
            command.Parameters[0].Value = state.Type;
            command.Parameters[1].Value = state.Name;
            var rows = new List<Entity>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(Read(reader));
            }

            return (IReadOnlyList<Entity>)rows;
        }, (Type: "person", Name: "Ada")).Result.Count);

        Assert.Equal(byKeyByHand, byKey);
        Assert.Equal(listByHand, list);
    }

    /// <summary>Bytes this thread allocates for one call, after warm-up (prepared commands, JIT, tiering).</summary>
    private static long Measure(Func<int> read)
    {
        for (var i = 0; i < 50; i++)
        {
            read();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        read();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static Entity Read(Microsoft.Data.Sqlite.SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Type = reader.GetString(1),
        Name = reader.GetString(2),
        Aliases = reader.GetString(3),
        Summary = reader.IsDBNull(4) ? null : reader.GetString(4),
        Url = reader.IsDBNull(5) ? null : reader.GetString(5),
        Attributes = reader.GetString(6),
        CreatedAt = SqliteValues.ReadTimestamp(reader, 7),
        UpdatedAt = SqliteValues.ReadTimestamp(reader, 8),
    };
}

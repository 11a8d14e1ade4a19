using System.Globalization;
using Filix.Domains.Entities;

namespace Filix.ReadPath.Tests;

/// <summary>The identity cache in front of a session's prepared commands must never answer with the wrong
/// statement, and equal SQL text must share one prepared command whatever string instance carries it.</summary>
public sealed class CommandCacheTests
{
    [Fact]
    public async Task Equal_text_in_another_string_instance_gets_the_same_prepared_command()
    {
        using var folder = new TempFolder();
        await using var db = await EntitiesDatabase.OpenInFolderAsync(folder.Path);
        const string Sql = "SELECT count(*) FROM \"entities\"";
        var copy = new string(Sql.AsSpan());

        var same = await db.Database.ReadAsync(static (session, copy) => ReferenceEquals(session.Command(Sql, 0), session.Command(copy, 0)), copy);

        Assert.False(ReferenceEquals(Sql, copy));
        Assert.True(same);
    }

    [Fact]
    public async Task Many_statements_sharing_cache_slots_each_get_their_own_command()
    {
        using var folder = new TempFolder();
        await using var db = await EntitiesDatabase.OpenInFolderAsync(folder.Path);
        var statements = Enumerable.Range(0, 100).Select(i => string.Create(CultureInfo.InvariantCulture, $"SELECT {i}")).ToArray();

        var results = await db.Database.ReadAsync(static (session, statements) =>
        {
            var values = new List<long>();
            for (var round = 0; round < 3; round++)
            {
                foreach (var sql in statements)
                {
                    var command = session.Command(sql, 0);
                    Assert.Equal(sql, command.CommandText);
                    values.Add((long)command.ExecuteScalar()!);
                }
            }

            return values;
        }, statements);

        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)(i % 100)), results);
    }
}

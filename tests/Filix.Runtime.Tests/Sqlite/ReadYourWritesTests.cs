namespace Filix.Runtime.Tests.Sqlite;

/// <summary>An awaited write is visible to every later read: on another pooled connection, and through a second
/// open of the same file (as another process would open it).</summary>
public sealed class ReadYourWritesTests : IDisposable
{
    private readonly TempDirectory _folder = TempDirectory.Create("ryw");

    public void Dispose() => _folder.Dispose();

    private string DbPath => _folder.File(KitchenSinkDatabase.FileName);

    [Fact]
    public async Task After_an_awaited_write_every_pooled_reader_sees_it()
    {
        await using var db = await KitchenSinkDatabase.OpenAsync(DbPath);

        for (var i = 0; i < 20; i++)
        {
            await db.Things.InsertAsync(Samples.Thing(i));

            // Several reads at once take several pooled connections; each must see the write just acknowledged.
            var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () => await db.Things.CountAsync())));
            Assert.All(counts, c => Assert.Equal(i + 1, c));
            Assert.NotNull(await db.Things.GetAsync(Samples.Id(i)));
        }
    }

    [Fact]
    public async Task A_second_open_of_the_same_file_sees_writes_of_the_first_and_the_reverse()
    {
        await using var first = await KitchenSinkDatabase.OpenAsync(DbPath);
        await using var second = await KitchenSinkDatabase.OpenAsync(DbPath);

        await first.Things.InsertAsync(Samples.Thing(0));
        Samples.AssertSame(Samples.Thing(0), await second.Things.GetAsync(Samples.Id(0)));

        await second.Things.UpsertAsync(Samples.Thing(0) with { TextValue = "from second" });
        Assert.Equal("from second", (await first.Things.GetAsync(Samples.Id(0)))!.TextValue);

        Assert.True(await first.Things.DeleteAsync(Samples.Id(0)));
        Assert.Equal(0, await second.Things.CountAsync());
    }

    [Fact]
    public async Task Writes_from_two_opens_interleave_without_losing_any()
    {
        await using var first = await KitchenSinkDatabase.OpenAsync(DbPath);
        await using var second = await KitchenSinkDatabase.OpenAsync(DbPath);

        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var i = 0; i < 50; i += 2)
                {
                    await first.Things.InsertAsync(Samples.Thing(i));
                }
            }),
            Task.Run(async () =>
            {
                for (var i = 1; i < 50; i += 2)
                {
                    await second.Things.InsertAsync(Samples.Thing(i));
                }
            }));

        Assert.Equal(50, await first.Things.CountAsync());
        Assert.Equal(50, await second.Things.CountAsync());
    }

    [Fact]
    public async Task Data_survives_closing_and_reopening()
    {
        await using (var db = await KitchenSinkDatabase.OpenAsync(DbPath))
        {
            await db.Things.InsertManyAsync(Samples.Things(10));
        }

        await using var reopened = await KitchenSinkDatabase.OpenAsync(DbPath, new FilixOptions { CreateIfMissing = false });

        Samples.AssertSame(Samples.Things(10), await reopened.Things.ScanAsync().ToListAsync());
    }

    [Fact]
    public async Task Two_opens_of_a_fresh_file_at_once_create_the_schema_once()
    {
        var opens = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => KitchenSinkDatabase.OpenAsync(DbPath))));
        try
        {
            await opens[0].Things.InsertAsync(Samples.Thing(0));

            var meta = await opens[3].Database.ReadAsync(static (session, _) =>
                ((long)session.Scalar("SELECT count(*) FROM _filix_meta WHERE key = 'domain'")!,
                 (long)session.Scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '\\_filix%' ESCAPE '\\'")!), 0);
            Assert.Equal(1, meta.Item1);

            // Filix's own tables aside (_filix_meta; _filix_write_outcomes when an opener sent its write to another).
            Assert.Equal(KitchenSinkSchema.Definition.Tables.Count, meta.Item2);
            foreach (var db in opens)
            {
                Assert.Equal(1, await db.Things.CountAsync());
            }
        }
        finally
        {
            foreach (var db in opens)
            {
                await db.DisposeAsync();
            }
        }
    }
}

namespace Filix.Runtime.Tests.Sqlite;

/// <summary>Every method of a generated repository, on a real database file.</summary>
public sealed class RepositoryTests : SinkTests
{
    [Fact]
    public async Task Insert_then_get_returns_the_row_and_get_of_a_missing_key_returns_null()
    {
        var row = Samples.Thing(2);
        await Db.Things.InsertAsync(row);

        Samples.AssertSame(row, await Db.Things.GetAsync(row.Id));
        Assert.Null(await Db.Things.GetAsync(Samples.Id(99)));
    }

    [Fact]
    public async Task Insert_of_an_existing_key_fails_naming_the_table_and_file_and_keeps_the_first_row()
    {
        var row = Samples.Thing(2);
        await Db.Things.InsertAsync(row);

        var error = await Assert.ThrowsAsync<FilixException>(() => Db.Things.InsertAsync(row with { TextValue = "second", Code = "other", UuidNull = null }));

        Assert.Contains("same primary key", error.Message, StringComparison.Ordinal);
        Assert.Contains("things.id", error.Message, StringComparison.Ordinal);
        Assert.Contains(Sink.Path, error.Message, StringComparison.Ordinal);
        Assert.Equal(Sink.Path, error.Path);
        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(error.InnerException);
        Assert.Equal("text 2", (await Db.Things.GetAsync(row.Id))!.TextValue);
    }

    [Fact]
    public async Task Upsert_inserts_a_new_row_and_replaces_every_column_of_an_existing_one()
    {
        var first = Samples.Thing(2);
        await Db.Things.UpsertAsync(first);
        Samples.AssertSame(first, await Db.Things.GetAsync(first.Id));

        // Every nullable column goes back to null, every other column changes.
        var replacement = Samples.Thing(3) with { Id = first.Id };
        await Db.Things.UpsertAsync(replacement);

        Samples.AssertSame(replacement, await Db.Things.GetAsync(first.Id));
        Assert.Equal(1, await Db.Things.CountAsync());
    }

    [Fact]
    public async Task Update_changes_an_existing_row_and_returns_false_for_a_missing_one()
    {
        var row = Samples.Thing(4);
        await Db.Things.InsertAsync(row);

        var changed = row with { TextValue = "changed", IntegerNull = null };
        Assert.True(await Db.Things.UpdateAsync(changed));
        Samples.AssertSame(changed, await Db.Things.GetAsync(row.Id));

        Assert.False(await Db.Things.UpdateAsync(Samples.Thing(5)));
        Assert.Equal(1, await Db.Things.CountAsync());
    }

    [Fact]
    public async Task Delete_removes_the_row_and_returns_false_when_there_is_none()
    {
        await Db.Things.InsertManyAsync(Samples.Things(3));

        Assert.True(await Db.Things.DeleteAsync(Samples.Id(1)));
        Assert.False(await Db.Things.DeleteAsync(Samples.Id(1)));

        Assert.Null(await Db.Things.GetAsync(Samples.Id(1)));
        Assert.Equal(2, await Db.Things.CountAsync());
    }

    [Fact]
    public async Task InsertMany_stores_every_row_and_returns_the_count()
    {
        var rows = Samples.Things(50);

        Assert.Equal(50, await Db.Things.InsertManyAsync(rows));

        Assert.Equal(50, await Db.Things.CountAsync());
        Samples.AssertSame(rows, await Db.Things.ScanAsync().ToListAsync());
    }

    [Fact]
    public async Task InsertMany_and_UpsertMany_of_no_rows_return_zero_and_write_nothing()
    {
        Assert.Equal(0, await Db.Things.InsertManyAsync([]));
        Assert.Equal(0, await Db.Things.UpsertManyAsync(Enumerable.Empty<Thing>()));

        Assert.Equal(0, await Db.Things.CountAsync());
    }

    [Fact]
    public async Task InsertMany_is_all_or_nothing_a_duplicate_in_the_batch_leaves_no_row()
    {
        var rows = Samples.Things(10);
        rows.Add(Samples.Thing(3) with { Code = "another code" });

        await Assert.ThrowsAsync<FilixException>(() => Db.Things.InsertManyAsync(rows));

        Assert.Equal(0, await Db.Things.CountAsync());
        Assert.Null(await Db.Things.GetAsync(Samples.Id(0)));
    }

    [Fact]
    public async Task InsertMany_of_a_lazy_sequence_materialises_it_once()
    {
        var enumerations = 0;
        IEnumerable<Thing> Rows()
        {
            enumerations++;
            foreach (var row in Samples.Things(5))
            {
                yield return row;
            }
        }

        Assert.Equal(5, await Db.Things.InsertManyAsync(Rows()));
        Assert.Equal(1, enumerations);
    }

    [Fact]
    public async Task UpsertMany_inserts_new_rows_and_updates_existing_ones_in_one_transaction()
    {
        await Db.Things.InsertManyAsync(Samples.Things(4));
        var batch = Samples.Things(6, first: 2).Select(t => t with { TextValue = "batch " + t.Code }).ToList();

        Assert.Equal(6, await Db.Things.UpsertManyAsync(batch));

        var all = await Db.Things.ScanAsync().ToListAsync();
        Assert.Equal(8, all.Count);
        Assert.Equal("text 0", all[0].TextValue);
        Assert.All(all.Skip(2), t => Assert.StartsWith("batch ", t.TextValue, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpsertMany_that_violates_a_unique_column_leaves_no_row()
    {
        var batch = Samples.Things(3);
        batch.Add(Samples.Thing(7) with { Code = batch[0].Code });

        var error = await Assert.ThrowsAsync<FilixException>(() => Db.Things.UpsertManyAsync(batch));

        Assert.Contains("things.code", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Db.Things.CountAsync());
    }

    [Fact]
    public async Task Count_of_an_empty_table_is_zero()
    {
        Assert.Equal(0, await Db.Things.CountAsync());
        Assert.Equal(0, await Db.Order.CountAsync());
    }

    [Fact]
    public async Task Scan_returns_rows_in_primary_key_order_whatever_the_insert_order()
    {
        var rows = Samples.Things(20);
        var shuffled = rows.OrderBy(r => r.Code.GetHashCode(StringComparison.Ordinal)).ToList();
        await Db.Things.InsertManyAsync(shuffled);

        // uuid keys are stored as lower-case text, so key order is the order of their text form.
        var expected = rows.OrderBy(r => r.Id.ToString("D"), StringComparer.Ordinal).ToList();
        Samples.AssertSame(expected, await Db.Things.ScanAsync().ToListAsync());
    }

    [Fact]
    public async Task Composite_key_scan_orders_by_every_key_column_numerically()
    {
        Order[] rows =
        [
            new() { Customer = "b", Group = 1, Line = 1 },
            new() { Customer = "a", Group = 10, Line = 1 },
            new() { Customer = "a", Group = 2, Line = 2 },
            new() { Customer = "a", Group = 2, Line = 1 },
        ];
        await Db.Order.InsertManyAsync(rows);

        var keys = await Db.Order.ScanAsync().Select(o => (o.Customer, o.Group, o.Line)).ToListAsync();

        Assert.Equal([("a", 2L, 1L), ("a", 2L, 2L), ("a", 10L, 1L), ("b", 1L, 1L)], keys);
    }

    [Fact]
    public async Task Scan_streams_a_write_made_during_the_scan_neither_blocks_nor_shows_up()
    {
        await Db.Things.InsertManyAsync(Samples.Things(10));

        var seen = 0;
        await foreach (var row in Db.Things.ScanAsync())
        {
            if (seen++ == 0)
            {
                // The scan holds a read snapshot: the writer is not blocked, and the new row is not in this scan.
                await Db.Things.InsertAsync(Samples.Thing(100));
            }
        }

        Assert.Equal(10, seen);
        Assert.Equal(11, await Db.Things.CountAsync());
    }

    [Fact]
    public async Task Scan_stopped_early_returns_its_connection_to_the_pool()
    {
        await using var file = await SinkFile.OpenAsync(new FilixOptions { MaxReaders = 1 });
        await file.Db.Things.InsertManyAsync(Samples.Things(5));

        await foreach (var row in file.Db.Things.ScanAsync())
        {
            break;
        }

        // With one read connection, this read would wait forever if the scan had kept it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(5, await file.Db.Things.CountAsync(timeout.Token));
    }

    [Fact]
    public async Task Scan_observes_cancellation_between_rows()
    {
        await Db.Things.InsertManyAsync(Samples.Things(10));
        using var cancel = new CancellationTokenSource();

        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var row in Db.Things.ScanAsync(cancel.Token))
            {
                if (++seen == 3)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Equal(3, seen);
        Assert.Equal(10, await Db.Things.CountAsync());
    }

    [Fact]
    public async Task A_write_with_a_cancelled_token_does_not_run()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Db.Things.InsertAsync(Samples.Thing(0), cancel.Token));

        Assert.Equal(0, await Db.Things.CountAsync());
    }

    [Fact]
    public async Task GetBy_a_unique_column_finds_the_one_row()
    {
        await Db.Things.InsertManyAsync(Samples.Things(6));

        Samples.AssertSame(Samples.Thing(4), await Db.Things.GetByCodeAsync("code-0004"));
        Assert.Null(await Db.Things.GetByCodeAsync("code-9999"));
        Samples.AssertSame(Samples.Thing(2), await Db.Things.GetByUuidNullAsync(Samples.Thing(2).UuidNull!.Value));
    }

    [Fact]
    public async Task FindBy_an_index_returns_matching_rows_in_key_order()
    {
        await Db.Things.InsertManyAsync(Samples.Things(12));

        var tagged = await Db.Things.FindByTagAsync("tag-0");

        // Even rows carry tag-(i % 3): 0 and 6 have tag-0.
        Assert.Equal([Samples.Id(0), Samples.Id(6)], tagged.Select(t => t.Id));
        Assert.Empty(await Db.Things.FindByTagAsync("no such tag"));
        Assert.Equal([Samples.Id(4)], (await Db.Things.FindByTimestampValueAsync(Samples.Thing(4).TimestampValue)).Select(t => t.Id));
    }

    [Fact]
    public async Task FindBy_null_in_a_nullable_indexed_column_finds_the_rows_where_it_is_null()
    {
        await Db.Things.InsertManyAsync(Samples.Things(6));

        var untagged = await Db.Things.FindByTagAsync(null);
        Assert.Equal([Samples.Id(1), Samples.Id(3), Samples.Id(5)], untagged.Select(t => t.Id));

        var bothNull = await Db.Things.FindByIntegerNullAndTagAsync(null, null);
        Assert.Equal(3, bothNull.Count);
        Assert.Equal([Samples.Id(2)], (await Db.Things.FindByIntegerNullAndTagAsync(2, "tag-2")).Select(t => t.Id));
        Assert.Empty(await Db.Things.FindByIntegerNullAndTagAsync(2, null));
    }

    [Fact]
    public async Task Composite_key_prefix_lookups_find_rows_by_the_first_key_columns()
    {
        var rows = new List<Order>();
        foreach (var customer in new[] { "ann", "bob" })
        {
            for (var group = 1; group <= 2; group++)
            {
                for (var line = 1; line <= 3; line++)
                {
                    rows.Add(new Order { Customer = customer, Group = group, Line = line, Class = line == 1 ? null : "c" + line });
                }
            }
        }

        await Db.Order.InsertManyAsync(rows);

        Assert.Equal(6, (await Db.Order.FindByCustomerAsync("bob")).Count);
        var annTwo = await Db.Order.FindByCustomerAndGroupAsync("ann", 2);
        Assert.Equal([1L, 2L, 3L], annTwo.Select(o => o.Line));
        Assert.All(annTwo, o => Assert.Equal(("ann", 2L), (o.Customer, o.Group)));
        Assert.Equal(rows[0], await Db.Order.GetAsync("ann", 1, 1));
        Assert.Equal(4, (await Db.Order.FindByClassAsync(null)).Count);
        Assert.Equal(4, (await Db.Order.FindBySelectAndClassAsync(null, "c2")).Count);
    }

    [Fact]
    public async Task Keyword_named_table_and_columns_work_through_every_statement()
    {
        var where = Guid.NewGuid();
        var row = new Order { Customer = "c", Group = 1, Line = 1, Select = "s", Class = "k", Where = where };

        await Db.Order.InsertAsync(row);
        await Db.Order.UpsertAsync(row with { Select = "t" });
        Assert.True(await Db.Order.UpdateAsync(row with { Select = "u" }));

        Assert.Equal(row with { Select = "u" }, await Db.Order.GetByWhereAsync(where));
        Assert.Single(await Db.Order.FindBySelectAndClassAsync("u", "k"));
        Assert.True(await Db.Order.DeleteAsync("c", 1, 1));
        Assert.Equal(0, await Db.Order.CountAsync());
    }
}

using Filix.Domains.Entities;
using Filix.Domains.Files;
using Filix.Domains.Music;
using Filix.Runtime.Sync;

namespace Filix.Sync.Tests;

/// <summary>What the generator tells sync about each domain's shared tables.</summary>
public sealed class SyncTablesTests
{
    [Fact]
    public void Shared_tables_are_listed_parents_first_with_their_keys_and_modes()
    {
        var tables = EntitiesSchema.Definition.SyncTables;
        Assert.Equal(["entities", "events"], tables.Select(t => t.Name));
        var events = tables[1];
        Assert.Equal(["entity_id", "role", "role_type"], events.KeyColumns);
        Assert.Equal(["entities"], events.Parents);
        Assert.Equal(SyncMode.Sync, events.Mode);
        Assert.All(MusicSchema.Definition.SyncTables, t => Assert.Equal(SyncMode.Optional, t.Mode));
    }

    [Fact]
    public void Local_tables_have_nothing_to_sync() => Assert.Empty(FilesSchema.Definition.SyncTables);
}

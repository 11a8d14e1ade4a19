using Filix.Domains.Contacts;
using Filix.Domains.Entities;
using Filix.Domains.Files;
using Filix.Domains.Music;
using Filix.Domains.Papers;
using Filix.Domains.Storage;
using Filix.Domains.Transcripts;
using Filix.Runtime;

namespace Filix.Sync.Tests.Machines;

/// <summary>One domain a machine holds: its schema and how to open its generated database in a data folder (the
/// typed object carries the repositories the harness writes through; <see cref="FilixDatabase"/> is what sync takes).</summary>
internal sealed record Domain(DatabaseSchema Schema, Func<string, FilixOptions, Task<(object Typed, FilixDatabase Database)>> Open)
{
    public string Name => Schema.Domain;

    public override string ToString() => Name;
}

/// <summary>The seven domains of seed 000: five <c>sync</c>, <c>music</c> <c>optional</c>, <c>files</c> <c>local</c>.</summary>
internal static class AllDomains
{
    public static readonly Domain Entities = new(EntitiesSchema.Definition, async (f, o) => Pair(await EntitiesDatabase.OpenInFolderAsync(f, o)));
    public static readonly Domain Papers = new(PapersSchema.Definition, async (f, o) => Pair(await PapersDatabase.OpenInFolderAsync(f, o)));
    public static readonly Domain Contacts = new(ContactsSchema.Definition, async (f, o) => Pair(await ContactsDatabase.OpenInFolderAsync(f, o)));
    public static readonly Domain Storage = new(StorageSchema.Definition, async (f, o) => Pair(await StorageDatabase.OpenInFolderAsync(f, o)));
    public static readonly Domain Transcripts = new(TranscriptsSchema.Definition, async (f, o) => Pair(await TranscriptsDatabase.OpenInFolderAsync(f, o)));
    public static readonly Domain Music = new(MusicSchema.Definition, async (f, o) => Pair(await MusicDatabase.OpenInFolderAsync(f, o)));
    public static readonly Domain Files = new(FilesSchema.Definition, async (f, o) => Pair(await FilesDatabase.OpenInFolderAsync(f, o)));

    /// <summary>The domains whose every table is <c>sync</c>.</summary>
    public static readonly IReadOnlyList<Domain> Synced = [Entities, Papers, Contacts, Storage, Transcripts];

    public static readonly IReadOnlyList<Domain> All = [.. Synced, Music, Files];

    public static Domain ByName(string name) =>
        All.FirstOrDefault(d => d.Name == name) ?? throw new ArgumentException($"No domain '{name}' (known: {string.Join(", ", All)}).", nameof(name));

    private static (object, FilixDatabase) Pair(EntitiesDatabase db) => (db, db.Database);

    private static (object, FilixDatabase) Pair(PapersDatabase db) => (db, db.Database);

    private static (object, FilixDatabase) Pair(ContactsDatabase db) => (db, db.Database);

    private static (object, FilixDatabase) Pair(StorageDatabase db) => (db, db.Database);

    private static (object, FilixDatabase) Pair(TranscriptsDatabase db) => (db, db.Database);

    private static (object, FilixDatabase) Pair(MusicDatabase db) => (db, db.Database);

    private static (object, FilixDatabase) Pair(FilesDatabase db) => (db, db.Database);
}

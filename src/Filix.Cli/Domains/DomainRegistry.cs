using Filix.Cli.Seeding;
using Filix.Domains.Contacts;
using Filix.Domains.Entities;
using Filix.Domains.Files;
using Filix.Domains.Music;
using Filix.Domains.Papers;
using Filix.Domains.Storage;
using Filix.Domains.Transcripts;

namespace Filix.Cli.Domains;

/// <summary>The seven domains of seed 000, in the order commands process and report them. Add a domain here.</summary>
internal static class DomainRegistry
{
    public static IReadOnlyList<DomainDefinition> All { get; } =
    [
        DomainDefinition.Create(EntitiesSchema.Definition, EntitiesSchema.SqliteDdl, EntitiesSchema.PostgresDdl, EntitiesDatabase.OpenAsync, new EntitiesSeeder()),
        DomainDefinition.Create(PapersSchema.Definition, PapersSchema.SqliteDdl, PapersSchema.PostgresDdl, PapersDatabase.OpenAsync, new PapersSeeder()),
        DomainDefinition.Create(ContactsSchema.Definition, ContactsSchema.SqliteDdl, ContactsSchema.PostgresDdl, ContactsDatabase.OpenAsync, new ContactsSeeder()),
        DomainDefinition.Create(TranscriptsSchema.Definition, TranscriptsSchema.SqliteDdl, TranscriptsSchema.PostgresDdl, TranscriptsDatabase.OpenAsync, new TranscriptsSeeder()),
        DomainDefinition.Create(MusicSchema.Definition, MusicSchema.SqliteDdl, MusicSchema.PostgresDdl, MusicDatabase.OpenAsync, new MusicSeeder()),
        DomainDefinition.Create(StorageSchema.Definition, StorageSchema.SqliteDdl, StorageSchema.PostgresDdl, StorageDatabase.OpenAsync, new StorageSeeder()),
        DomainDefinition.Create(FilesSchema.Definition, FilesSchema.SqliteDdl, FilesSchema.PostgresDdl, FilesDatabase.OpenAsync, new FilesSeeder()),
    ];

    public static IEnumerable<string> Names => All.Select(d => d.Name);

    /// <summary>The domain called <paramref name="name"/>, or a <see cref="UsageException"/> listing the valid names.</summary>
    public static DomainDefinition Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new UsageException($"unknown domain '{name}'. Valid domains: {string.Join(", ", Names)}.");
}

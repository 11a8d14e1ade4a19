using Filix.Cli.Domains;
using Filix.Domains.Files;
using Filix.Runtime;

namespace Filix.Cli.Seeding;

/// <summary>Seed 000's files.db: about 10,000 files the watcher tracks under four roots on this machine, and its change log.</summary>
internal sealed class FilesSeeder : DomainSeeder<FilesDatabase>
{
    public const int FileCount = 10_000;

    private static readonly (string Path, string Label, double Share)[] Roots =
    [
        ("/home/ada/Documents", "Documents", 0.35), ("/home/ada/Projects", "Projects", 0.40),
        ("/home/ada/Music", "Music", 0.15), ("/home/ada/Pictures", "Pictures", 0.10),
    ];

    private static readonly Dictionary<string, (string[] Extensions, string[] Folders)> Kinds = new()
    {
        ["Documents"] = (["pdf", "docx", "md", "txt", "xlsx", "pptx"], ["papers", "grants", "admin", "notes", "reviews", "talks"]),
        ["Projects"] = (["cs", "py", "md", "json", "yaml", "ts", "sql", "csv"], ["filix/src", "filix/tests", "haak/scripts", "atlas/data", "site/content"]),
        ["Music"] = (["flac", "mp3", "aiff", "wav"], ["incoming", "library", "sets", "stems"]),
        ["Pictures"] = (["jpg", "png", "heic", "raw"], ["2024", "2025", "2026", "screenshots"]),
    };

    private static readonly Dictionary<string, string> Mime = new()
    {
        ["pdf"] = "application/pdf", ["md"] = "text/markdown", ["txt"] = "text/plain", ["json"] = "application/json",
        ["csv"] = "text/csv", ["flac"] = "audio/flac", ["mp3"] = "audio/mpeg", ["jpg"] = "image/jpeg", ["png"] = "image/png",
    };

    public override FilixDatabase Database(FilesDatabase database) => database.Database;

    public override IReadOnlyList<TableCounter> Tables(FilesDatabase database) =>
    [
        new(RootsTable.Name, database.Roots.CountAsync),
        new(FilesTable.Name, database.Files.CountAsync),
        new(ChangesTable.Name, database.Changes.CountAsync),
    ];

    public override async Task SeedAsync(FilesDatabase database, SeedContext context)
    {
        var data = context.Data;
        var roots = Roots.Select(r => new Root
        {
            Path = r.Path,
            Label = r.Label,
            Watching = r.Label != "Pictures",
            Include = "[]",
            Exclude = SampleData.JsonArray(["**/.git/**", "**/node_modules/**", "**/bin/**", "**/obj/**"]),
            AddedAt = context.Now.AddDays(-400),
            LastScanAt = context.Now.AddMinutes(-data.Random.Next(1, 120)),
        }).ToList();

        var files = new List<TrackedFile>();
        var changes = new List<Change>();
        var total = context.Size(FileCount);
        long sequence = 0;
        foreach (var root in Roots)
        {
            var (extensions, folders) = Kinds[root.Label];
            var count = Math.Max(1, (int)Math.Round(total * root.Share));
            for (var i = 0; i < count; i++)
            {
                var extension = data.Pick(extensions);
                var stem = SampleData.Slug(data.PaperTitle());
                var name = SampleData.Invariant($"{stem[..Math.Min(stem.Length, 24)].TrimEnd('-')}-{i:D5}.{extension}");
                var relative = $"{data.Pick(folders)}/{name}";
                var path = $"{root.Path}/{relative}";
                var firstSeen = context.Past(400);
                var modified = firstSeen.AddDays(data.Random.Next(0, 30));
                var status = data.Chance(0.03) ? "deleted" : data.Chance(0.04) ? "modified" : "present";
                var hashed = status != "modified" && data.Chance(0.95);
                var size = data.Size(extension is "flac" or "wav" or "aiff" ? 35_000_000 : extension is "mp3" or "raw" or "heic" ? 6_000_000 : 40_000);
                var sha = hashed ? data.Hex(32) : null;
                files.Add(new TrackedFile
                {
                    Path = path,
                    Root = root.Path,
                    RelativePath = relative,
                    Name = name,
                    Extension = extension,
                    Size = size,
                    Mtime = modified,
                    Inode = data.Random.NextInt64(100_000, 90_000_000),
                    Sha256 = sha,
                    HashedAt = hashed ? modified.AddMinutes(data.Random.Next(1, 60)) : null,
                    MimeType = Mime.GetValueOrDefault(extension),
                    Status = status,
                    StorageKey = hashed && root.Label is "Music" or "Pictures" && data.Chance(0.5) ? $"{root.Label.ToLowerInvariant()}/{name}" : null,
                    FirstSeenAt = firstSeen,
                    LastSeenAt = status == "deleted" ? modified : context.Now.AddMinutes(-data.Random.Next(1, 120)),
                    DeletedAt = status == "deleted" ? modified.AddDays(1) : null,
                });

                changes.Add(new Change { Id = ++sequence, Path = path, Kind = "created", Size = size, Sha256 = sha, ObservedAt = firstSeen });
                if (modified > firstSeen)
                {
                    changes.Add(new Change { Id = ++sequence, Path = path, Kind = "modified", Size = size, Sha256 = sha, ObservedAt = modified });
                }

                if (status == "deleted")
                {
                    changes.Add(new Change { Id = ++sequence, Path = path, Kind = "deleted", ObservedAt = modified.AddDays(1) });
                }
            }
        }

        // The change log is in time order, as the watcher wrote it.
        changes.Sort((a, b) => a.ObservedAt.CompareTo(b.ObservedAt));
        changes = changes.Select((c, i) => c with { Id = i + 1 }).ToList();

        await context.InsertAsync(RootsTable.Name, roots, database.Roots.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(FilesTable.Name, files, database.Files.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(ChangesTable.Name, changes, database.Changes.InsertManyAsync).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<ReadCheck>> ReadBackAsync(FilesDatabase database, CancellationToken cancellationToken)
    {
        var read = new ReadBack(Database(database), cancellationToken);
        await read.ScanAsync(RootsTable.Name, database.Roots.CountAsync, database.Roots.ScanAsync).ConfigureAwait(false);
        var files = await read.ScanAsync(FilesTable.Name, database.Files.CountAsync, database.Files.ScanAsync).ConfigureAwait(false);
        var changes = await read.ScanAsync(ChangesTable.Name, database.Changes.CountAsync, database.Changes.ScanAsync).ConfigureAwait(false);
        await read.GetEachAsync("get file by path", files, (f, ct) => database.Files.GetAsync(f.Path, ct)).ConfigureAwait(false);
        await read.FindEachAsync("find files by (root, relative_path)", files, (f, ct) => database.Files.FindByRootAndRelativePathAsync(f.Root, f.RelativePath, ct), (f, r) => r == f).ConfigureAwait(false);
        await read.FindEachAsync("find files by sha256", files.Where(f => f.Sha256 is not null).ToList(), (f, ct) => database.Files.FindBySha256Async(f.Sha256, ct), (f, r) => r.Path == f.Path).ConfigureAwait(false);
        await read.FindEachAsync("find changes by (path, observed_at)", changes, (c, ct) => database.Changes.FindByPathAndObservedAtAsync(c.Path, c.ObservedAt, ct), (c, r) => r == c).ConfigureAwait(false);
        return read.Checks;
    }
}

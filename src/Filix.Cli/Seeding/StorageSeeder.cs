using Filix.Cli.Domains;
using Filix.Domains.Storage;
using Filix.Runtime;

namespace Filix.Cli.Seeding;

/// <summary>Seed 000's storage.db: the Antilia (Exoscale S3) inventory - about 5,000 objects in five filix-* buckets.</summary>
internal sealed class StorageSeeder : DomainSeeder<StorageDatabase>
{
    public const int ObjectCount = 5_000;
    public const int ScansPerBucket = 8;

    private static readonly (string Name, string Purpose, string Prefix, string Extension, string ContentType, double MedianBytes, double Share)[] Buckets =
    [
        ("filix-papers", "PDFs of the papers library", "papers", "pdf", "application/pdf", 2_000_000, 0.35),
        ("filix-media", "DJ library audio and cover art", "music", "flac", "audio/flac", 40_000_000, 0.30),
        ("filix-transcripts", "Meeting and podcast recordings", "transcripts", "m4a", "audio/mp4", 60_000_000, 0.05),
        ("filix-images", "Figures, photos and scans", "images", "jpg", "image/jpeg", 900_000, 0.25),
        ("filix-backups", "Nightly database snapshots", "backups", "tar.zst", "application/zstd", 250_000_000, 0.05),
    ];

    private static readonly string[] Triage = ["keep", "keep", "keep", "archive", "review", "delete"];

    public override FilixDatabase Database(StorageDatabase database) => database.Database;

    public override IReadOnlyList<TableCounter> Tables(StorageDatabase database) =>
    [
        new(BucketsTable.Name, database.Buckets.CountAsync),
        new(ObjectsTable.Name, database.Objects.CountAsync),
        new(ScansTable.Name, database.Scans.CountAsync),
    ];

    public override async Task SeedAsync(StorageDatabase database, SeedContext context)
    {
        var data = context.Data;
        var buckets = Buckets.Select(b => new Bucket
        {
            Name = b.Name,
            Endpoint = "https://sos-ch-gva-2.exo.io",
            Region = "ch-gva-2",
            Purpose = b.Purpose,
            Versioning = b.Name == "filix-backups",
            CreatedAt = context.Now.AddDays(-1200),
        }).ToList();

        var objects = new List<StoredObject>();
        var scans = new List<Scan>();
        var total = context.Size(ObjectCount);
        foreach (var bucket in Buckets)
        {
            var count = Math.Max(1, (int)Math.Round(total * bucket.Share));
            long bytes = 0;
            for (var i = 0; i < count; i++)
            {
                var modified = context.Past(1100);
                var size = data.Size(bucket.MedianBytes);
                bytes += size;
                var multipart = size > 16 * 1024 * 1024;
                var status = data.Chance(0.03) ? "deleted" : "present";
                var key = bucket.Prefix switch
                {
                    "papers" => SampleData.Invariant($"papers/{modified:yyyy}/10.{data.Random.Next(1000, 9999)}-{data.Hex(5)}.pdf"),
                    "music" => SampleData.Invariant($"music/{SampleData.Slug(data.FamilyName())}/{data.Hex(4)}-{i:D5}.flac"),
                    "backups" => SampleData.Invariant($"backups/{modified:yyyy-MM-dd}/{data.Pick(new[] { "entities", "papers", "contacts", "music" })}-{i:D4}.db.tar.zst"),
                    _ => SampleData.Invariant($"{bucket.Prefix}/{modified:yyyy/MM}/{data.Hex(6)}-{i:D5}.{bucket.Extension}"),
                };
                objects.Add(new StoredObject
                {
                    Bucket = bucket.Name,
                    Key = key,
                    Size = size,
                    Etag = multipart ? SampleData.Invariant($"{data.Hex(16)}-{(size / (8 * 1024 * 1024)) + 1}") : data.Hex(16),
                    Sha256 = multipart && data.Chance(0.5) ? null : data.Hex(32),
                    ContentType = bucket.ContentType,
                    StorageClass = data.Chance(0.1) ? "STANDARD_IA" : "STANDARD",
                    LastModified = modified,
                    VersionId = bucket.Name == "filix-backups" ? data.Hex(12) : null,
                    Metadata = data.Chance(0.3) ? System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["uploaded-by"] = data.Pick(new[] { "laptop", "server", "triage" }) }, SeedJson.Default.DictionaryStringString) : "{}",
                    Status = status,
                    Triage = data.Chance(0.2) ? data.Pick(Triage) : null,
                    FirstSeenAt = modified.AddMinutes(data.Random.Next(1, 600)),
                    LastSeenAt = status == "deleted" ? modified.AddDays(data.Random.Next(1, 100)) : context.Now.AddHours(-data.Random.Next(1, 24)),
                    DeletedAt = status == "deleted" ? modified.AddDays(data.Random.Next(100, 200)) : null,
                });
            }

            for (var s = 0; s < ScansPerBucket; s++)
            {
                var started = context.Now.AddDays(-7 * (ScansPerBucket - s)).AddMinutes(data.Random.Next(0, 120));
                var failed = data.Chance(0.05);
                scans.Add(new Scan
                {
                    Id = data.Guid(),
                    Bucket = bucket.Name,
                    StartedAt = started,
                    FinishedAt = failed ? null : started.AddSeconds(data.Random.Next(5, 300)),
                    ObjectsSeen = failed ? count / 2 : count - data.Random.Next(0, 30),
                    BytesSeen = failed ? bytes / 2 : bytes,
                    Added = data.Random.Next(0, 40),
                    Changed = data.Random.Next(0, 5),
                    Removed = data.Random.Next(0, 3),
                    Machine = data.Pick(new[] { "laptop", "server" }),
                    Error = failed ? "RequestTimeout: the connection to sos-ch-gva-2.exo.io timed out after 120 s" : null,
                });
            }
        }

        await context.InsertAsync(BucketsTable.Name, buckets, database.Buckets.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(ObjectsTable.Name, objects, database.Objects.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(ScansTable.Name, scans, database.Scans.InsertManyAsync).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<ReadCheck>> ReadBackAsync(StorageDatabase database, CancellationToken cancellationToken)
    {
        var read = new ReadBack(Database(database), cancellationToken);
        var buckets = await read.ScanAsync(BucketsTable.Name, database.Buckets.CountAsync, database.Buckets.ScanAsync).ConfigureAwait(false);
        var objects = await read.ScanAsync(ObjectsTable.Name, database.Objects.CountAsync, database.Objects.ScanAsync).ConfigureAwait(false);
        await read.ScanAsync(ScansTable.Name, database.Scans.CountAsync, database.Scans.ScanAsync).ConfigureAwait(false);
        await read.GetEachAsync("get bucket by name", buckets, (b, ct) => database.Buckets.GetAsync(b.Name, ct)).ConfigureAwait(false);
        await read.GetEachAsync("get object by (bucket, key)", objects, (o, ct) => database.Objects.GetAsync(o.Bucket, o.Key, ct)).ConfigureAwait(false);
        await read.FindEachAsync("find objects by etag", objects, (o, ct) => database.Objects.FindByEtagAsync(o.Etag, ct), (o, r) => r == o).ConfigureAwait(false);
        await read.FindEachAsync("find objects by (bucket, last_modified)", objects, (o, ct) => database.Objects.FindByBucketAndLastModifiedAsync(o.Bucket, o.LastModified, ct), (o, r) => r.Key == o.Key).ConfigureAwait(false);
        return read.Checks;
    }
}

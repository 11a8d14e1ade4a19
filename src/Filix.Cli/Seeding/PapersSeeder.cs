using Filix.Domains.Papers;
using Filix.Runtime;
using Filix.Cli.Domains;

namespace Filix.Cli.Seeding;

/// <summary>Seed 000's papers.db: 1,983 papers with bylines, citations between them and to outside works, and PDFs in S3.</summary>
internal sealed class PapersSeeder : DomainSeeder<PapersDatabase>
{
    public const int PaperCount = 1_983;

    private static readonly (string Venue, string Prefix, string Publisher)[] Venues =
    [
        ("Nature", "10.1038", "Springer Nature"), ("Nature Neuroscience", "10.1038", "Springer Nature"),
        ("Neuron", "10.1016", "Cell Press"), ("Cell", "10.1016", "Cell Press"), ("eLife", "10.7554", "eLife Sciences"),
        ("PLOS Computational Biology", "10.1371", "PLOS"), ("Journal of Neuroscience", "10.1523", "Society for Neuroscience"),
        ("Science", "10.1126", "AAAS"), ("PNAS", "10.1073", "National Academy of Sciences"),
        ("NeurIPS", "10.48550", "NeurIPS Foundation"), ("bioRxiv", "10.1101", "Cold Spring Harbor Laboratory"),
    ];

    private static readonly string[] ReadStatuses = ["unread", "unread", "reading", "read", "read", "skimmed"];
    private static readonly string[] PaperSources = ["papers-skill", "lit-search", "manual", "import"];
    private static readonly string[] Tags = ["5-HT", "mouse", "human", "methods", "review", "dataset", "to-cite", "journal-club"];

    public override FilixDatabase Database(PapersDatabase database) => database.Database;

    public override IReadOnlyList<TableCounter> Tables(PapersDatabase database) =>
    [
        new(PapersTable.Name, database.Papers.CountAsync),
        new(PaperAuthorsTable.Name, database.PaperAuthors.CountAsync),
        new(CitationsTable.Name, database.Citations.CountAsync),
    ];

    public override async Task SeedAsync(PapersDatabase database, SeedContext context)
    {
        var data = context.Data;
        var papers = new List<Paper>();
        var authors = new List<PaperAuthor>();
        for (var i = 0; i < context.Size(PaperCount); i++)
        {
            var (venue, prefix, publisher) = data.Pick(Venues);
            var preprint = venue is "bioRxiv" || data.Chance(0.1);
            var year = 2026 - (int)Math.Min(30, Math.Abs(data.Gaussian() * 7));
            var published = new DateOnly(year, data.Random.Next(1, 13), data.Random.Next(1, 29));
            // The index in the DOI suffix keeps DOIs (a unique index) unique however the dice fall.
            var doi = data.Chance(0.93) ? SampleData.Invariant($"{prefix}/{SampleData.Slug(venue)[..3]}.{year}.{i:D5}") : null;
            var arxiv = preprint || data.Chance(0.15) ? SampleData.Invariant($"{year % 100:D2}{published.Month:D2}.{i:D5}") : null;
            var id = doi is not null ? "doi:" + doi : arxiv is not null ? "arxiv:" + arxiv : SampleData.Invariant($"paper-{i:D5}");
            var title = data.PaperTitle();
            var byline = new List<string>();
            var authorCount = data.Random.Next(1, 9);
            for (var position = 0; position < authorCount; position++)
            {
                var given = data.GivenName();
                var family = data.FamilyName();
                var name = $"{given} {family}";
                byline.Add(name);
                authors.Add(new PaperAuthor
                {
                    PaperId = id,
                    Position = position,
                    Name = name,
                    FamilyName = family,
                    Orcid = data.Chance(0.4) ? SampleData.Invariant($"0000-000{data.Random.Next(1, 4)}-{data.Random.Next(1000, 9999)}-{data.Random.Next(1000, 9999)}") : null,
                    Affiliation = data.Chance(0.6) ? $"University of {data.City()}" : null,
                    Corresponding = position == 0,
                });
            }

            var status = data.Pick(ReadStatuses);
            var added = context.Past(1500);
            var hasPdf = data.Chance(0.8);
            papers.Add(new Paper
            {
                Id = id,
                Doi = doi,
                ArxivId = arxiv,
                Pmid = !preprint && data.Chance(0.5) ? data.Random.Next(20_000_000, 39_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                Title = title,
                Authors = SampleData.JsonArray(byline),
                Abstract = data.Chance(0.9) ? data.Paragraph(data.Random.Next(4, 9)) : null,
                Year = year,
                PublishedOn = published,
                Venue = preprint && arxiv is not null && venue is not "bioRxiv" ? "arXiv" : venue,
                Kind = preprint ? "preprint" : venue == "NeurIPS" ? "conference" : "article",
                Volume = preprint ? null : data.Random.Next(1, 640).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Issue = preprint ? null : data.Random.Next(1, 24).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Pages = preprint ? null : SampleData.Invariant($"{data.Random.Next(1, 900)}-{data.Random.Next(900, 999)}"),
                Publisher = publisher,
                Url = doi is not null ? "https://doi.org/" + doi : $"https://arxiv.org/abs/{arxiv}",
                Keywords = SampleData.JsonArray(title.Split(' ').Where(w => w.Length > 6).Take(4).Select(w => w.ToLowerInvariant())),
                Tags = SampleData.JsonArray(Enumerable.Range(0, data.Random.Next(0, 4)).Select(_ => data.Pick(Tags)).Distinct()),
                PdfKey = hasPdf ? $"papers/{year}/{SampleData.Slug(id)}.pdf" : null,
                PdfSha256 = hasPdf ? data.Hex(32) : null,
                ReadStatus = status,
                Rating = status == "read" && data.Chance(0.6) ? data.Random.Next(1, 6) : null,
                CitationCount = data.Chance(0.7) ? (long)data.Size(25, 1.5) : null,
                Notes = data.Chance(0.2) ? data.Sentence() : null,
                Source = data.Pick(PaperSources),
                AddedAt = added,
                UpdatedAt = added.AddDays(data.Random.Next(0, 90)),
            });
        }

        // Citations: mostly to outside works, some to papers in the library (cited_id set).
        var citations = new List<Citation>();
        foreach (var paper in papers)
        {
            var cited = new HashSet<string>();
            for (var c = data.Random.Next(0, 16); c > 0; c--)
            {
                var inLibrary = data.Chance(0.3) ? data.Pick(papers) : null;
                var citedDoi = inLibrary?.Doi ?? SampleData.Invariant($"10.{data.Random.Next(1000, 9999)}/{data.Hex(4)}");
                if (inLibrary == paper || !cited.Add(citedDoi))
                {
                    continue;
                }

                citations.Add(new Citation
                {
                    CitingId = paper.Id,
                    CitedDoi = citedDoi,
                    CitedId = inLibrary?.Id,
                    Context = data.Chance(0.3) ? data.Sentence() : null,
                    AddedAt = paper.AddedAt,
                });
            }
        }

        await context.InsertAsync(PapersTable.Name, papers, database.Papers.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(PaperAuthorsTable.Name, authors, database.PaperAuthors.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(CitationsTable.Name, citations, database.Citations.InsertManyAsync).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<ReadCheck>> ReadBackAsync(PapersDatabase database, CancellationToken cancellationToken)
    {
        var read = new ReadBack(Database(database), cancellationToken);
        var papers = await read.ScanAsync(PapersTable.Name, database.Papers.CountAsync, database.Papers.ScanAsync).ConfigureAwait(false);
        var authors = await read.ScanAsync(PaperAuthorsTable.Name, database.PaperAuthors.CountAsync, database.PaperAuthors.ScanAsync).ConfigureAwait(false);
        await read.ScanAsync(CitationsTable.Name, database.Citations.CountAsync, database.Citations.ScanAsync).ConfigureAwait(false);
        await read.GetEachAsync("get paper by id", papers, (p, ct) => database.Papers.GetAsync(p.Id, ct)).ConfigureAwait(false);
        var withDoi = papers.Where(p => p.Doi is not null).ToList();
        await read.GetEachAsync("get paper by doi (unique)", withDoi, (p, ct) => database.Papers.GetByDoiAsync(p.Doi!, ct)).ConfigureAwait(false);
        // Rows with a null in these columns are found too (lookups of null are null-safe); checking complete ones is enough here.
        await read.FindEachAsync("find papers by (venue, year)", papers.Where(p => p.Venue is not null && p.Year is not null).ToList(), (p, ct) => database.Papers.FindByVenueAndYearAsync(p.Venue, p.Year, ct), (p, r) => r.Id == p.Id).ConfigureAwait(false);
        await read.FindEachAsync("find authors by family_name", authors, (a, ct) => database.PaperAuthors.FindByFamilyNameAsync(a.FamilyName, ct), (a, r) => r == a).ConfigureAwait(false);
        return read.Checks;
    }
}

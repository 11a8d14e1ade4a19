using Filix.Cli.Domains;
using Filix.Domains.Transcripts;
using Filix.Runtime;

namespace Filix.Cli.Seeding;

/// <summary>Seed 000's transcripts.db: 74 meetings, podcasts and talks, diarised into speakers and timed segments.</summary>
internal sealed class TranscriptsSeeder : DomainSeeder<TranscriptsDatabase>
{
    public const int TranscriptCount = 74;

    private static readonly (string Kind, string Source, string Title)[] Kinds =
    [
        ("meeting", "zoom", "Lab meeting"), ("meeting", "zoom", "Weekly sync"), ("meeting", "zoom", "Project review"),
        ("podcast", "podcast", "Neuro Chats episode"), ("podcast", "podcast", "Mixing Desk episode"),
        ("interview", "upload", "Interview"), ("lecture", "upload", "Lecture"), ("talk", "upload", "Seminar talk"),
    ];

    private static readonly string[] Roles = ["host", "guest", "presenter", "participant"];

    public override FilixDatabase Database(TranscriptsDatabase database) => database.Database;

    public override IReadOnlyList<TableCounter> Tables(TranscriptsDatabase database) =>
    [
        new(TranscriptsTable.Name, database.Transcripts.CountAsync),
        new(SpeakersTable.Name, database.Speakers.CountAsync),
        new(SegmentsTable.Name, database.Segments.CountAsync),
    ];

    public override async Task SeedAsync(TranscriptsDatabase database, SeedContext context)
    {
        var data = context.Data;
        var transcripts = new List<Transcript>();
        var speakers = new List<Speaker>();
        var segments = new List<Segment>();
        for (var i = 0; i < context.Size(TranscriptCount); i++)
        {
            var (kind, source, title) = data.Pick(Kinds);
            var recorded = context.Past(700);
            var id = SampleData.Invariant($"{source}-{recorded:yyyy-MM-dd}-{SampleData.Slug(title)}-{i:D3}");
            var durationMs = (long)data.Random.Next(15, 110) * 60_000 + data.Random.Next(60_000);

            var labels = Enumerable.Range(1, data.Random.Next(2, 7)).Select(n => SampleData.Invariant($"S{n}")).ToList();
            var talk = labels.ToDictionary(l => l, _ => 0L);
            var words = 0L;
            var seq = 0;
            for (var start = 0L; start < durationMs; seq++)
            {
                var length = Math.Min(durationMs - start, data.Random.Next(2_000, 16_000));
                // Speakers alternate unevenly: the first (host) talks most.
                var label = labels[Math.Min(labels.Count - 1, (int)Math.Abs(data.Gaussian() * labels.Count / 2))];
                var text = data.Sentence(3, (int)(length / 450) + 3);
                words += text.Count(c => c == ' ') + 1;
                talk[label] += length;
                segments.Add(new Segment
                {
                    TranscriptId = id,
                    Seq = seq,
                    StartMs = start,
                    EndMs = start + length,
                    SpeakerLabel = data.Chance(0.98) ? label : null,
                    Text = text,
                    Confidence = Math.Round(0.75 + data.Random.NextDouble() * 0.24, 3),
                });
                start += length + data.Random.Next(0, 800);
            }

            foreach (var label in labels)
            {
                var named = data.Chance(0.8);
                speakers.Add(new Speaker
                {
                    TranscriptId = id,
                    Label = label,
                    Name = named ? $"{data.GivenName()} {data.FamilyName()}" : null,
                    ContactId = named && data.Chance(0.5) ? data.Guid() : null,
                    Role = label == "S1" ? (kind == "podcast" ? "host" : "presenter") : data.Pick(Roles),
                    TalkSeconds = talk[label] / 1000.0,
                });
            }

            transcripts.Add(new Transcript
            {
                Id = id,
                Title = SampleData.Invariant($"{title} {recorded:yyyy-MM-dd}"),
                Kind = kind,
                Source = source,
                SourceId = source == "upload" ? null : data.Guid().ToString(),
                RecordedAt = recorded,
                DurationSeconds = durationMs / 1000.0,
                Language = data.Chance(0.9) ? "en" : data.Pick(["de", "fr"]),
                MediaKey = $"transcripts/{recorded:yyyy}/{id}.m4a",
                Transcriber = data.Pick(["whisper-large-v3", "zoom-native", "whisperx-0.8"]),
                Summary = data.Paragraph(3),
                Tags = SampleData.JsonArray([kind, source]),
                WordCount = words,
                CreatedAt = recorded.AddHours(2),
                UpdatedAt = recorded.AddHours(2),
            });
        }

        await context.InsertAsync(TranscriptsTable.Name, transcripts, database.Transcripts.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(SpeakersTable.Name, speakers, database.Speakers.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(SegmentsTable.Name, segments, database.Segments.InsertManyAsync).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<ReadCheck>> ReadBackAsync(TranscriptsDatabase database, CancellationToken cancellationToken)
    {
        var read = new ReadBack(Database(database), cancellationToken);
        var transcripts = await read.ScanAsync(TranscriptsTable.Name, database.Transcripts.CountAsync, database.Transcripts.ScanAsync).ConfigureAwait(false);
        await read.ScanAsync(SpeakersTable.Name, database.Speakers.CountAsync, database.Speakers.ScanAsync).ConfigureAwait(false);
        var segments = await read.ScanAsync(SegmentsTable.Name, database.Segments.CountAsync, database.Segments.ScanAsync).ConfigureAwait(false);
        await read.GetEachAsync("get transcript by id", transcripts, (t, ct) => database.Transcripts.GetAsync(t.Id, ct)).ConfigureAwait(false);
        await read.FindEachAsync("find segments by transcript_id", transcripts, (t, ct) => database.Segments.FindByTranscriptIdAsync(t.Id, ct), (t, s) => s.TranscriptId == t.Id).ConfigureAwait(false);
        await read.GetEachAsync("get segment by (transcript_id, seq)", segments, (s, ct) => database.Segments.GetAsync(s.TranscriptId, s.Seq, ct)).ConfigureAwait(false);
        await read.FindEachAsync("find segments by (transcript_id, start_ms)", segments, (s, ct) => database.Segments.FindByTranscriptIdAndStartMsAsync(s.TranscriptId, s.StartMs, ct), (s, r) => r == s).ConfigureAwait(false);
        return read.Checks;
    }
}
